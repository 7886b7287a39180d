// Key Vault with RBAC: the appservice tokens and the escalation credentials, read by the app's identity
// through @Microsoft.KeyVault(...) references in its settings. Optional secrets are created only when given.
param name string
param location string
param tags object
@secure()
param asToken string
@secure()
param hsToken string
@secure()
param smtpPassword string
@secure()
param cyberTiplineUsername string
@secure()
param cyberTiplinePassword string

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource asTokenSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: vault
  name: 'as-token'
  properties: { value: asToken }
}

resource hsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: vault
  name: 'hs-token'
  properties: { value: hsToken }
}

resource smtpSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(smtpPassword)) {
  parent: vault
  name: 'smtp-password'
  properties: { value: smtpPassword }
}

resource tiplineUserSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(cyberTiplineUsername)) {
  parent: vault
  name: 'cybertipline-username'
  properties: { value: cyberTiplineUsername }
}

resource tiplinePasswordSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(cyberTiplinePassword)) {
  parent: vault
  name: 'cybertipline-password'
  properties: { value: cyberTiplinePassword }
}

output name string = vault.name
output id string = vault.id
