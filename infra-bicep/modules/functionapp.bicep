// The Flex Consumption plan (FC1) and the function app, runtime 'custom': the Functions host starts
// the `relay` executable (host.json customHandler) and talks HTTP to it. Every connection is
// identity-based through the user-assigned identity; secrets come from Key Vault references.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param deploymentContainerUrl string
param storageAccountName string
param tableEndpoint string
param serviceBusNamespace string
param keyVaultName string
param appInsightsConnectionString string
param homeserverUrl string
param homeserverServerName string
param maxDeliveryCount int
param maximumInstanceCount int
param instanceMemoryMB int
param hasSmtp bool
param hasCyberTipline bool

var secret = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName='

var baseSettings = [
  // Host storage, identity-based (no connection string exists: shared keys are off).
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  // The "ServiceBus" connection named in every queue-triggered functions/*/function.json.
  { name: 'ServiceBus__fullyQualifiedNamespace', value: serviceBusNamespace }
  { name: 'ServiceBus__credential', value: 'managedidentity' }
  { name: 'ServiceBus__clientId', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  // DefaultAzureCredential in relay picks the user-assigned identity from this.
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'Relay__Storage__TableServiceUri', value: tableEndpoint }
  { name: 'Relay__Storage__CreateTables', value: 'false' }
  { name: 'Relay__ServiceBus__FullyQualifiedNamespace', value: serviceBusNamespace }
  // Relay sees every request come from the Functions host on loopback; the client is the last X-Forwarded-For
  // entry, which the platform's front end adds (as ip:port). Without this, all web reporters share one limit.
  { name: 'Relay__Http__TrustForwardedFor', value: 'true' }
  // Must equal the queues' maxDeliveryCount, so handlers know their last attempt.
  { name: 'Relay__Queue__MaxDeliveryCount', value: string(maxDeliveryCount) }
  { name: 'Relay__Homeserver__Url', value: homeserverUrl }
  { name: 'Relay__Homeserver__ServerName', value: homeserverServerName }
  { name: 'Relay__Appservice__AsToken', value: '${secret}as-token)' }
  { name: 'Relay__Appservice__HsToken', value: '${secret}hs-token)' }
]

var smtpSettings = hasSmtp ? [
  { name: 'Relay__Smtp__Password', value: '${secret}smtp-password)' }
] : []

var tiplineSettings = hasCyberTipline ? [
  { name: 'Relay__CyberTipline__Username', value: '${secret}cybertipline-username)' }
  { name: 'Relay__CyberTipline__Password', value: '${secret}cybertipline-password)' }
] : []

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'relay' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseSettings, smtpSettings, tiplineSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
