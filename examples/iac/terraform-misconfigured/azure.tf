resource "azurerm_resource_group" "main" {
  name     = "${local.name}-rg"
  location = var.location
}

resource "azurerm_storage_account" "main" {
  name                            = "shopfrontprodsa"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = local.min_tls # planted: azure-storage-min-tls
  https_traffic_only_enabled      = false # planted: azure-storage-https-only
  allow_nested_items_to_be_public = true # planted: azure-storage-public-nested-items
}

resource "azurerm_storage_container" "downloads" {
  name                  = "downloads"
  storage_account_name  = azurerm_storage_account.main.name
  container_access_type = "container" # planted: azure-storage-container-public
}

resource "azurerm_network_security_group" "vm" {
  name                = "${local.name}-nsg"
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*" # planted: azure-nsg-open-ingress
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_watcher_flow_log" "vm" {
  name                      = "${local.name}-flows"
  network_watcher_name      = "NetworkWatcher_westeurope"
  resource_group_name       = "NetworkWatcherRG"
  network_security_group_id = azurerm_network_security_group.vm.id
  storage_account_id        = azurerm_storage_account.main.id
  enabled                   = true
  retention_policy {
    enabled = true
    days    = 7 # planted: azure-nsg-flow-logs
  }
}

resource "azurerm_mssql_server" "main" { # planted: azure-db-public-network azure-sql-auditing
  name                         = "${local.name}-sql"
  resource_group_name          = azurerm_resource_group.main.name
  location                     = var.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.db_password
  minimum_tls_version          = "1.1" # planted: azure-db-min-tls
}

resource "azurerm_mssql_firewall_rule" "anyone" {
  name             = "anyone"
  server_id        = azurerm_mssql_server.main.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255" # planted: azure-db-firewall-open
}

resource "azurerm_postgresql_server" "legacy" {
  name                             = "${local.name}-pg"
  location                         = var.location
  resource_group_name              = azurerm_resource_group.main.name
  sku_name                         = "GP_Gen5_2"
  version                          = "11"
  ssl_enforcement_enabled          = false # planted: azure-db-ssl-enforcement
  ssl_minimal_tls_version_enforced = "TLSEnforcementDisabled" # planted: azure-db-min-tls
  public_network_access_enabled    = true # planted: azure-db-public-network
}

resource "azurerm_key_vault" "main" { # planted: azure-keyvault-purge-protection azure-keyvault-diagnostics
  name                = "${local.name}-kv"
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_role_definition" "ops" {
  name  = "ops-everything"
  scope = "/subscriptions/00000000-0000-0000-0000-000000000000"
  permissions {
    actions = ["*"] # planted: azure-role-wildcard-actions
  }
}

resource "azurerm_kubernetes_cluster" "main" { # planted: azure-aks-api-authorized-ranges
  name                              = "${local.name}-aks"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.main.name
  dns_prefix                        = local.name
  role_based_access_control_enabled = false # planted: azure-aks-rbac
  default_node_pool {
    name       = "default"
    node_count = 2
    vm_size    = "Standard_D2s_v3"
  }
  identity {
    type = "SystemAssigned"
  }
}
