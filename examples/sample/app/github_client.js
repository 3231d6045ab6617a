// Sample: a GitHub client with a hardcoded token (fake).
const { Octokit } = require("@octokit/rest");

const octokit = new Octokit({ auth: "ghp_BRkirAgsXOhyl9F6sn23DSp8kVzjliKE1Quf" });

async function listRepos(org) {
  const res = await octokit.repos.listForOrg({ org });
  return res.data.map((r) => r.full_name);
}

module.exports = { listRepos, token: process.env.GITHUB_TOKEN };
