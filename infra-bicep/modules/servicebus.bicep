// Service Bus: one queue per Relay topic. Standard tier for duplicate detection (MessageId) and
// scheduled messages (deadlines); local (SAS) auth off, so only Entra ID roles can send or receive.
param name string
param location string
param tags object
param queueNames array
param maxDeliveryCount int

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [for queue in queueNames: {
  parent: namespace
  name: queue
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P14D'
  }
}]

output name string = namespace.name
output id string = namespace.id
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
