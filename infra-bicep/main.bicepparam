using 'main.bicep'

// Values come from the environment (azd env set, or export before az deployment), so no secret is committed.
param name = readEnvironmentVariable('RELAY_NAME', 'relay')
param homeserverUrl = readEnvironmentVariable('RELAY_HOMESERVER_URL', 'https://matrix.example.org')
param homeserverServerName = readEnvironmentVariable('RELAY_HOMESERVER_SERVER_NAME', 'example.org')
param asToken = readEnvironmentVariable('RELAY_AS_TOKEN')
param hsToken = readEnvironmentVariable('RELAY_HS_TOKEN')
param smtpPassword = readEnvironmentVariable('RELAY_SMTP_PASSWORD', '')
param cyberTiplineUsername = readEnvironmentVariable('RELAY_CYBERTIPLINE_USERNAME', '')
param cyberTiplinePassword = readEnvironmentVariable('RELAY_CYBERTIPLINE_PASSWORD', '')
param maxDeliveryCount = 10
