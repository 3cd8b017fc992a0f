/**
 * Microsoft Azure. Storage, Cosmos DB, Service Bus, IoT Hub and App Configuration credentials are
 * connection strings whose key part follows a fixed field name. Entra ID (Azure AD) client secrets
 * carry `Q~` after their first four characters. The storage and Cosmos DB emulators' well-known
 * keys are published by Microsoft and allowed. Keys in Microsoft's identifiable format (a service
 * signature and a Marvin32 checksum at the end) must carry a valid checksum; older keys have none.
 * The same keys outside a connection string are azure-identifiable.ts's.
 */
import type { SecretRule } from "../rule.js";
import { AZURE_KEY_FORMATS, checksumHoldsWhenSigned, hasValidAadClientSecretChecksum } from "../validators/azure-identifiable-key.js";
import { keyedPattern } from "./keyed.js";

const STORAGE_ROTATE = "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage#manually-rotate-access-keys";
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const F = AZURE_KEY_FORMATS;
const COSMOS_EMULATOR_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

export const azureRules: readonly SecretRule[] = [
  {
    id: "azure-storage-connection-string",
    provider: "Azure",
    title: "Azure Storage account connection string",
    risk: "Carries the account key: full read, write and delete over every blob, file share, queue and table in the storage account, and the power to sign SAS URLs for anyone.",
    pattern: /AccountName=[a-z0-9]{3,24};AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/,
    keywords: ["accountkey="],
    validate: checksumHoldsWhenSigned([F.storage]),
    severity: "critical",
    remediation: `Rotate the storage account key (Access keys > Rotate key) and prefer Entra ID or SAS: ${STORAGE_ROTATE}`,
    allow: [AZURITE_KEY],
    samples: {
      positives: [
        "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmezowhmn;AccountKey=7bzR3Q0CwJCb+tqE7Smks3k3ps/KPZXlhA2ABr+mBAhjxuiHlWsOrn7S/t+8SzcfxQ7Yofzvei1RC4CSQmWdaJ==;EndpointSuffix=core.windows.net",
        '"Storage": "DefaultEndpointsProtocol=https;AccountName=logskhpdoesg;AccountKey=Xe7xTuA4dMmXDBow0lWRnZO7lKWWqxSncEV4r9JxHKWfVqQrdPCvoK5pWqXUjKzN1G8Rjm5Wzj3/6GUiurQbfK=="',
        "DefaultEndpointsProtocol=https;AccountName=mediaq7x2;AccountKey=TW4NgguDmJXlFwsfsu/MEwDw4RBAejZjG9dpt2awNazTUttJbk3KP72UQnwDuOAXMs0oqL62x21W+AStJlwR6Q==;EndpointSuffix=core.windows.net",
      ],
      negatives: [
        `"Storage": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"`,
        '"Storage": "UseDevelopmentStorage=true"',
        "DefaultEndpointsProtocol=https;AccountName=acmedfsx4j;AccountKey=hR+aRyZ0dpUr+ceX2PJl+C81QBf41ym6ItiN67Dr==",
        // An identifiable key (`+ASt`) with one character changed: its checksum fails.
        "DefaultEndpointsProtocol=https;AccountName=mediaq7x2;AccountKey=TW4NgguDmJXlFwsfsu/MEwDw4RBAejZjG9dpt2awNazTUttJbk3KP72UQnwDuOAXMs0oqL62x21W+AStJlwR7Q==;EndpointSuffix=core.windows.net",
      ],
    },
  },
  {
    id: "azure-storage-account-key",
    provider: "Azure",
    title: "Azure Storage account key",
    risk: "Full control of every blob, file share, queue and table in the storage account, including deleting them and signing SAS URLs for anyone, bypassing Entra ID roles.",
    ...keyedPattern(["azure storage account key", "azure storage key", "storage account key", "storage access key"], "[A-Za-z0-9+/]{86}==", "A-Za-z0-9+/=", ["storage_account_key", "storageaccountkey", "storage_key", "storagekey", "storage_access_key", "storage-account-key"]),
    validate: checksumHoldsWhenSigned([F.storage]),
    severity: "critical",
    remediation: `Rotate the storage account key (Access keys > Rotate key): ${STORAGE_ROTATE}`,
    allow: [AZURITE_KEY],
    samples: {
      positives: ["AZURE_STORAGE_KEY=lyG0rVVho58ndXeko+i1XvS4VOc42dgJO0ePLOvql+5Ov1WGnGAmXNfgkMKGe6V6+uChzlERLttIN8DbYh2KNv==", 'storage_account_key = "pX2nraXRLBw+BmNNXMd9k0gBOTr6CIOX1MtR8IIueP+Je7HY8lCzyyBwVFgj/QpSPcgNWtrkCHW4ZTnN5qIh3j=="'],
      negatives: [`AZURE_STORAGE_KEY=${AZURITE_KEY}`, "AZURE_STORAGE_KEY=7gW2n8a2BGDIpew0C1MazNIHNgg7eYGPk1Aky82WIle7", "AZURE_STORAGE_KEY=${STORAGE_KEY}"],
    },
  },
  {
    id: "azure-cosmosdb-connection-string",
    provider: "Azure",
    title: "Azure Cosmos DB connection string",
    risk: "A primary key reads, writes and deletes every database and container in the account, bypassing Entra ID roles; even a read-only key exposes all stored documents.",
    pattern: /AccountEndpoint=https:\/\/[a-z0-9-]{3,50}\.documents\.azure\.com(?::443)?\/?;AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/,
    keywords: ["documents.azure.com"],
    validate: checksumHoldsWhenSigned([F.cosmosDb]),
    severity: "critical",
    remediation: "Regenerate the Cosmos DB key (Keys > Regenerate) after switching clients to the secondary key: https://learn.microsoft.com/azure/cosmos-db/database-security#key-rotation",
    allow: [COSMOS_EMULATOR_KEY],
    samples: {
      positives: [
        "COSMOS=AccountEndpoint=https://orders-rlsf1n.documents.azure.com:443/;AccountKey=INwNJfrtJ1LRgrtSe+kBbQicew6Bg+4TqexK7Y/AlAJzvD/UrWRmjdwlObeK0Gngtx1tD9/PWFg+bmnBuQ1imk==;",
        '"Cosmos": "AccountEndpoint=https://catalog7fiv.documents.azure.com:443/;AccountKey=GSkA6n38/FLyiXJOyslQrObHA9b+k3GqYrEmWcpIDOGo5W3RKe7MJN2Q1AAsNrTKnu2/HPGraQob7mIa4FdS7E=="',
        "COSMOS=AccountEndpoint=https://orders-rlsf1n.documents.azure.com:443/;AccountKey=R08OOqJm0D4URFGpSJcfCYR94/dpLDqaoxGjK8BnFP3v3ysMENlKZyu+QF+HejxquOtumsCV6B9nACDbi0h3Xw==;",
      ],
      negatives: [
        `COSMOS=AccountEndpoint=https://localhost.documents.azure.com:443/;AccountKey=${COSMOS_EMULATOR_KEY}`,
        "COSMOS=AccountEndpoint=https://orders.documents.azure.com:443/;",
        "COSMOS=AccountEndpoint=https://orders-rlsf1n.documents.azure.com:443/;AccountKey=R08OOqJm0D4URFGpSJcfCYR94/dpLDqaoxGjK8BnFP3v3ysMENlKZyu+QF+HejxquOtumsCV6B9nACDbi0h3Xx==;",
      ],
    },
  },
  {
    id: "azure-service-bus-connection-string",
    provider: "Azure",
    title: "Azure Service Bus / Event Hubs connection string",
    risk: "Sends, reads or manages messages on the namespace's queues, topics or event hubs with the policy's rights: inject forged messages into consumers or drain the real ones.",
    pattern: /Endpoint=sb:\/\/[a-z0-9.-]{3,100}\.servicebus\.windows\.net\/?;SharedAccessKeyName=[^;\s"']{1,256};SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)/,
    keywords: ["servicebus.windows.net"],
    validate: checksumHoldsWhenSigned([F.serviceBus, F.eventHubs, F.relay]),
    severity: "critical",
    remediation: "Regenerate the shared access policy keys (Shared access policies > Regenerate): https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas#regenerate-keys",
    samples: {
      positives: [
        "SERVICEBUS=Endpoint=sb://orders-f584d.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=DNr25tqJwnVlOjBLcjNpBsZRg1iE2dUL/4e9dTeIG5D=",
        '"EventHub": "Endpoint=sb://telemetry08kv.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=pEMTYnNO4Elu9oI/MtWy9cT3x93eudmwb0W9EL5k1aM=;EntityPath=events"',
        "EVENTHUB=Endpoint=sb://clicks9w2.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=mWKYJVefr6s7//Ro2hydwsykY0Opa3sgz+AEh7nusJI=;EntityPath=clicks",
      ],
      negatives: [
        "SERVICEBUS=Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>",
        "SERVICEBUS=Endpoint=sb://orders.servicebus.windows.net/;Authentication=Managed Identity",
        "EVENTHUB=Endpoint=sb://clicks9w2.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=mWKYJVefr6s7//Ro2hydwsykY0Opa3sgz+AEh7nusJJ=;EntityPath=clicks",
      ],
    },
  },
  {
    id: "azure-iot-hub-connection-string",
    provider: "Azure",
    title: "Azure IoT Hub connection string",
    risk: "Connects as the device or with the policy's rights: send forged telemetry, receive cloud-to-device commands, or with `iothubowner` register and control every device.",
    pattern: /HostName=[a-z0-9.-]{3,100}\.azure-devices\.net;(?:DeviceId=[^;\s"']{1,128};|SharedAccessKeyName=[^;\s"']{1,128};)SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)/,
    keywords: ["azure-devices.net"],
    validate: checksumHoldsWhenSigned([F.iot]),
    severity: "high",
    remediation: "Regenerate the device or policy key in the IoT Hub: https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas",
    samples: {
      positives: [
        "IOTHUB=HostName=plantrjja2.azure-devices.net;DeviceId=press-59;SharedAccessKey=yBPWbGN6TJCuBr4v8t52F278TK1V86UiUe1zh5PXH3S=",
        '"hub": "HostName=fleetbpt9b2.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=7IguMG530u+RaBkxg0KKgQO+GC5j4bHmykzw5LhwDqj="',
        "IOTHUB=HostName=plant8c1.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=EMk9e9cgv+TqXeJG8NY70ag9kVn705nH3AIoTBjknZw=",
      ],
      negatives: [
        "IOTHUB=HostName=plant.azure-devices.net;DeviceId=press-01;x509=true",
        "IOTHUB=HostName=plant.azure-devices.net;DeviceId=press;SharedAccessKey=<device-key>",
        "IOTHUB=HostName=plant8c1.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=EMk9e9cgv+TqXeJG8NY70ag9kVn705nH3AIoTBjknZx=",
      ],
    },
  },
  {
    id: "azure-app-configuration-connection-string",
    provider: "Azure",
    title: "Azure App Configuration connection string",
    risk: "Reads, and with a read-write key changes, every setting and feature flag in the store, which often hold further connection strings and switch behaviour in production.",
    pattern: /Endpoint=https:\/\/[a-z0-9-]{3,60}\.azconfig\.io;Id=[^;\s"']{1,64};Secret=(?<secret>[A-Za-z0-9+/]{43}=)/,
    keywords: ["azconfig.io"],
    severity: "high",
    remediation: "Regenerate the access key (Access settings > Regenerate): https://learn.microsoft.com/azure/azure-app-configuration/howto-disable-access-key-authentication",
    samples: {
      positives: [
        "APPCONFIG=Endpoint=https://settings-6r86b.azconfig.io;Id=CiPn-l0-s0:CYsmFvKhwrtLIINoYBlg;Secret=pmnIMjPqmTw9A0Em5iGdpE9KmM+3Z9xZNXysCnFl0H8=",
        '"AppConfig": "Endpoint=https://cfgjdg544.azconfig.io;Id=/DEy-l1-s0:6oEvTUjuSlwJbh0zjlkM;Secret=6a5/XwgobLKbQEY+yF8TGbbr+tZBZGaXTA7D2MILdaE="',
      ],
      negatives: ["APPCONFIG=Endpoint=https://settings.azconfig.io", "APPCONFIG=Endpoint=https://settings.azconfig.io;Id=abc;Secret=${APPCONFIG_SECRET}"],
    },
  },
  {
    id: "azure-ad-client-secret",
    provider: "Azure",
    title: "Microsoft Entra ID (Azure AD) application client secret",
    risk: "With the tenant and client id it signs in as the application, with no MFA in the way: the app's Microsoft Graph or Azure permissions (mail, users, subscriptions) become the holder's.",
    pattern: /(?:^|[^A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)/,
    keywords: ["q~"],
    minEntropy: 4,
    validate: hasValidAadClientSecretChecksum,
    severity: "high",
    remediation: "Delete the client secret in App registrations > Certificates & secrets and add a new one: https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials",
    samples: {
      positives: ["AZURE_CLIENT_SECRET=rEh8Q~TqA3Ia3ChSTktTjE.obTXg3Wg8EcIMJblc", 'clientSecret: "0UC7Q~CwjYiOVXWHLFXeRqub38RJrSiXa4PKN"'],
      negatives: [
        "hint: f5nQ~TtrKE5ODtZAIP1yTy_OLfwXtQvq4mbdcS9",
        "hint: qAh8Q~oDHGukQ4zilG",
        // `8Q~` secrets end in a checksum of the rest; this one's last characters do not match.
        "AZURE_CLIENT_SECRET=T9u8Q~T_Je8r9IKz5zpI4B2KQ6PfQ8FK_pfI2EZe",
      ],
    },
  },
  {
    id: "azure-sas-token",
    provider: "Azure",
    title: "Azure shared access signature (SAS) URL",
    risk: "Grants the URL's permissions (read, write, delete, list) on the storage resource to anyone until it expires, often years ahead; it cannot be revoked without rotating its signing key.",
    pattern: /\bsv=\d{4}-\d{2}-\d{2}[^\s"'<>]{0,400}?[?&]sig=(?<secret>[A-Za-z0-9%+/]{40,100}(?:%3[dD]|=){0,2})/,
    keywords: ["sig="],
    severity: "high",
    remediation: "Revoke the SAS by rotating the key that signed it or its stored access policy: https://learn.microsoft.com/azure/storage/common/sas-expiration-policy",
    samples: {
      positives: [
        "https://mediae4w8g.blob.core.windows.net/uploads?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2031-01-01T00:00:00Z&spr=https&sig=c0Di2mnnH5YHfCe6iDt3BvHw8SkT52GFaJRKNkJr%2Blov%3D",
        "url = https://logs5vdjt.blob.core.windows.net/c/x.json?sp=r&st=2026-01-01&se=2027-01-01&sv=2023-01-03&sr=b&sig=GIwYz3NmqaDrIK2gWIcWybZZg6hwf7IMO4NEFarVW2g%3D",
      ],
      negatives: [
        "https://media.blob.core.windows.net/uploads?sv=2022-11-02&ss=b&sig=<signature>",
        "https://media.blob.core.windows.net/uploads?sv=2022-11-02&restype=container",
      ],
    },
  },
  {
    id: "azure-function-key",
    provider: "Azure",
    title: "Azure Functions key in a function URL",
    risk: "Lets anyone on the internet invoke the function (a host key: every function in the app), running its code with the app's identity and data access; a master key also reaches the admin API.",
    pattern: /\.azurewebsites\.net\/api\/[^\s?"']{1,200}\?(?:[^\s"']{0,200}&)?code=(?<secret>[A-Za-z0-9_-]{40,100}={0,2})/,
    keywords: ["azurewebsites.net/api/"],
    validate: checksumHoldsWhenSigned([F.functions]),
    severity: "high",
    remediation: "Renew the function or host key (Function App > App keys > Renew): https://learn.microsoft.com/azure/azure-functions/function-keys-how-to",
    samples: {
      positives: [
        "WEBHOOK=https://billing-demyb.azurewebsites.net/api/invoice?code=mnOyWTiN4L8-r59PtmrNZVR-csQhGStLvHQNNdxNX1VtQJ0aluL3ch==",
        'fetch("https://apikfq6p.azurewebsites.net/api/orders/sync?clientId=web&code=9HfbhaRocBfDfbBbhox5VXAErrVkeqhZCyanRRoPOT6asvXY65H4==")',
        "WEBHOOK=https://billing-demyb.azurewebsites.net/api/invoice?code=wvh0vL3rp2UTxH8CBEapYDo_x0m8kviUZKzV4m9A_hkBAzFuUEkOqg%3D%3D",
      ],
      negatives: [
        "WEBHOOK=https://billing.azurewebsites.net/api/invoice?code=${FUNCTION_KEY}",
        "WEBHOOK=https://billing.azurewebsites.net/api/invoice?code=abc",
        "WEBHOOK=https://billing-demyb.azurewebsites.net/api/invoice?code=wvh0vL3rp2UTxH8CBEapYDo_x0m8kviUZKzV4m9A_hkBAzFuUEkOqh==",
      ],
    },
  },
];
