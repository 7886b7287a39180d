// Relay on Azure Functions Flex Consumption: function app (custom handler) with a user-assigned
// identity, Table Storage, Service Bus queues, Key Vault for secrets, Application Insights.
// Deploy: `azd up`, or `az deployment group create -g <rg> -f infra-bicep/main.bicep -p infra-bicep/main.bicepparam`.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param name string = 'relay'

param location string = resourceGroup().location

@description('The homeserver\'s client-server API, e.g. https://matrix.example.org.')
param homeserverUrl string

@description('The server name in your user IDs, e.g. example.org.')
param homeserverServerName string

@secure()
@description('as_token of Relay\'s appservice registration (relay registration prints one); at least 32 characters, so a deployment without it fails before anything is created.')
@minLength(32)
param asToken string

@secure()
@description('hs_token of Relay\'s appservice registration (relay registration prints one); at least 32 characters, so a deployment without it fails before anything is created.')
@minLength(32)
param hsToken string

@secure()
param smtpPassword string = ''

@secure()
param cyberTiplineUsername string = ''

@secure()
param cyberTiplinePassword string = ''

@description('Deliveries of a queued job before Service Bus dead-letters it; also tells handlers their last attempt.')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int = 10

@description('Instances Flex may scale to. Low by design: each talks to one homeserver with its rate limits.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var token = toLower(uniqueString(resourceGroup().id, name))
var tags = { application: 'relay' }

// Keep in step with Relay.Azure's TableNames (Evidence: TableStorageEscalationStore; Purges: TableStorageCaseLifecycleStore; DashboardAuth: TableStorageDashboardStore) and TableStorageAppserviceStore, and QueueBindings.
var tableNames = ['Cases', 'CaseIndex', 'ReportKeys', 'Outbox', 'Evidence', 'Purges', 'Transactions', 'ProtectedRooms', 'DirectRooms', 'DashboardAuth']
var queueNames = ['report-received', 'case-due', 'escalation-deliver', 'reporter-notify', 'appservice-invite', 'report-followup']

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${name}-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${name}-${token}'
    appInsightsName: 'appi-${name}-${token}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${name}${token}', 24)
    location: location
    tags: tags
    deploymentContainerName: 'deployments'
    tableNames: tableNames
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-${name}-${token}'
    location: location
    tags: tags
    queueNames: queueNames
    maxDeliveryCount: maxDeliveryCount
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-${name}-${token}', 24)
    location: location
    tags: tags
    asToken: asToken
    hsToken: hsToken
    smtpPassword: smtpPassword
    cyberTiplineUsername: cyberTiplineUsername
    cyberTiplinePassword: cyberTiplinePassword
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: 'plan-${name}-${token}'
    appName: 'func-${name}-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    storageAccountName: storage.outputs.name
    tableEndpoint: storage.outputs.tableEndpoint
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultName: keyVault.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    homeserverUrl: homeserverUrl
    homeserverServerName: homeserverServerName
    maxDeliveryCount: maxDeliveryCount
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    hasSmtp: !empty(smtpPassword)
    hasCyberTipline: !empty(cyberTiplineUsername) && !empty(cyberTiplinePassword)
  }
  dependsOn: [
    roles
  ]
}

@description('Put this in the appservice registration as `url`, and route the client /report paths to it.')
output RELAY_FUNCTION_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_RESOURCE_GROUP string = resourceGroup().name
