/**
 * Azure keys in Microsoft's "identifiable" format, found on their own (a key pasted into a config
 * value, a CLI flag, a header) rather than inside a connection string, which azure.ts reports
 * first. Each ends in a fixed service signature and a Marvin32 checksum of the rest
 * (validators/azure-identifiable-key.ts), so a match needs no key name: the checksum leaves a
 * random look-alike no chance. Keys issued before a service adopted the format carry neither and
 * are found only next to their key names or in connection strings.
 */
import type { SecretRule } from "../rule.js";
import { AZURE_KEY_FORMATS, hasValidIdentifiableChecksum, type IdentifiableKeyFormat } from "../validators/azure-identifiable-key.js";
import { prefixedToken } from "./define.js";

interface IdentifiableRule {
  readonly id: string;
  readonly title: string;
  readonly risk: string;
  readonly formats: readonly IdentifiableKeyFormat[];
  readonly remediation: string;
  readonly severity?: SecretRule["severity"];
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
}

function escape(text: string): string {
  return text.replace(/[+/]/g, (c) => `\\${c}`);
}

/**
 * The key with its signature 10 characters before its end (padding aside), between characters
 * that cannot continue a base64 value. Formats of one rule share their size and alphabet.
 */
function identifiablePattern(formats: readonly IdentifiableKeyFormat[]): RegExp {
  const { bytes, urlSafe } = formats[0]!;
  const chars = urlSafe ? "A-Za-z0-9_-" : "A-Za-z0-9+/";
  const length = Math.ceil((bytes * 4) / 3);
  const padding = "=".repeat((4 - (length % 4)) % 4);
  const signatures = formats.map((format) => escape(format.signature)).join("|");
  // URL-safe keys lose their padding in some URL encoders.
  const end = padding && urlSafe ? `(?:${padding})?` : padding;
  return new RegExp(`(?:^|[^A-Za-z0-9+/_-])(?<secret>[${chars}]{${length - 10}}(?:${signatures})[${chars}]{6}${end})(?:[^A-Za-z0-9+/=_-]|$)`);
}

function identifiableRule(rule: IdentifiableRule): SecretRule {
  return prefixedToken({
    id: rule.id,
    provider: "Azure",
    title: rule.title,
    risk: rule.risk,
    pattern: identifiablePattern(rule.formats),
    redactPrefix: "",
    keywords: rule.formats.map((format) => format.signature.toLowerCase()),
    validate: (secret) => rule.formats.some((format) => hasValidIdentifiableChecksum(secret, format)),
    remediation: rule.remediation,
    ...(rule.severity ? { severity: rule.severity } : {}),
    positives: rule.positives,
    negatives: rule.negatives,
  });
}

const F = AZURE_KEY_FORMATS;

export const azureIdentifiableRules: readonly SecretRule[] = [
  identifiableRule({
    id: "azure-storage-identifiable-key",
    title: "Azure Storage account key (identifiable)",
    risk: "Full control of every blob, file share, queue and table in the storage account, including deleting them and signing SAS URLs for anyone, bypassing Entra ID roles.",
    formats: [F.storage],
    severity: "critical",
    remediation: "Rotate the storage account key (Access keys > Rotate key): https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage#manually-rotate-access-keys",
    positives: [
      "az storage blob upload --account-name acmelogs7 --account-key fXAf1qlkQE+aNa0rRKSpwYJK1vEhAdHwnlcTUL4eHXt/VSY6M3e53pZXwuBj7y0Ic5W4yVTHmLeK+AStAPj6EQ== --container-name raw",
      '  "primaryKey": "Sjxzit4kXUsrPbmu51u7Gz2lWIDjsuXG059bxZ6QpKxDnfd/ZIeUT6NLpZ9Y1uym1CgLmGXEwbsQ+AStNdXRsQ==",',
    ],
    negatives: [
      // One character changed: the checksum no longer holds.
      '  "primaryKey": "RoJn9bEQVxvTZt7BUGxdGJ1F+ISzpl/h1k3qDQEegFQqGvkeDa/dh7PR3/wEijcHAZeRafCDd3yQ+AStMZvJGw==",',
      // Part of a longer base64 blob (a certificate, an image): not a key of its own.
      "QUJDRA/fXAf1qlkQE+aNa0rRKSpwYJK1vEhAdHwnlcTUL4eHXt/VSY6M3e53pZXwuBj7y0Ic5W4yVTHmLeK+AStAPj6EQ==",
    ],
  }),
  identifiableRule({
    id: "azure-cosmosdb-identifiable-key",
    title: "Azure Cosmos DB account key (identifiable)",
    risk: "A primary key reads, writes and deletes every database and container in the account, bypassing Entra ID roles; even a read-only key exposes all stored documents.",
    formats: [F.cosmosDb],
    severity: "critical",
    remediation: "Regenerate the Cosmos DB key (Keys > Regenerate) after switching clients to the secondary key: https://learn.microsoft.com/azure/cosmos-db/database-security#key-rotation",
    positives: [
      'const client = new CosmosClient({ endpoint, key: "7vIAZPggJ7Pnvp97mqwk+meNQ7iiy8kGCXAaXvM+OvPNGddVOkRqvaWFoVXmBPBaZaWcBH7DcTdLACDbkJ5QLA==" });',
      "COSMOS_KEY=Qt+5ASHgXgNWNnJYXBWVwIARtIIoRFbirt7SpisePu2Hs1FdRZn10KFZoX7tzjBh0CcobREeC5OcACDbDv/Lsg==",
    ],
    negatives: [
      "COSMOS_KEY=9lKXVF0QvnaotJrLK+ZhaWj1BSrAmP6xw0UirK5+vPy65ujZcK0gi9wXbhTmhbNp624+x164SvvXACDbAUkSFw==",
      "AcDbDatabase* db = acdbHostApplicationServices()->workingDatabase();",
    ],
  }),
  identifiableRule({
    id: "azure-messaging-identifiable-key",
    title: "Azure Service Bus, Event Hubs or Relay shared access key (identifiable)",
    risk: "Sends, reads or manages messages on the namespace's queues, topics or event hubs with the policy's rights: inject forged messages into consumers or drain the real ones.",
    formats: [F.serviceBus, F.eventHubs, F.relay],
    severity: "critical",
    remediation: "Regenerate the shared access policy keys (Shared access policies > Regenerate): https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas#regenerate-keys",
    positives: [
      'sas_key: "eVXXABHqAzwV13FKvNjOHltQdt5IbPg/L+ASbPXe9mY="',
      "az eventhubs eventhub authorization-rule keys renew ... # old primaryKey: p0N5Fc34/jWcrmqvVKocPngPwQ+RODiK++AEhUiVZlE=",
      "<add key=\"RelayKey\" value=\"nEn11p78g/EA0IHKbcSayHyQ1pCG1Evpu+ARmewNrYM=\" />",
    ],
    negatives: ['sas_key: "fOdVA92QaO6n9bSvUnaOuJnKd+KFRqvQy+ASblaxJLY="', 'sas_key: "ochCi0DQBPKvZbKqTTZbP2uOYq4FCebH7+AEhhMxeds="'],
  }),
  identifiableRule({
    id: "azure-functions-identifiable-key",
    title: "Azure Functions function, host or master key (identifiable)",
    risk: "Lets anyone on the internet invoke the function (a host key: every function in the app), running its code with the app's identity and data access; a master key also reaches the admin API.",
    formats: [F.functions],
    remediation: "Renew the function or host key (Function App > App keys > Renew): https://learn.microsoft.com/azure/azure-functions/function-keys-how-to",
    positives: ['headers: { "x-functions-key": "bCehxSyuzNqGZkfnVCfEHD13n1U5rRInq2YVX4zRK9xoAzFuTnnl5w==" }', "FUNCTIONS_MASTER_KEY=NNg1CgdmKdTmSmgEdIlrnkkOd6VFOAG1fBcVTA_6sDzgAzFugftiag"],
    negatives: ['headers: { "x-functions-key": "bxdMs62QHMuJwFf7ljr0WNtuXw81oGNsa7AoZ0Q84s9kAzFumG1DZQ==" }', "namespace CanHazFunny.AzFunctions;"],
  }),
  identifiableRule({
    id: "azure-iot-identifiable-key",
    title: "Azure IoT Hub, Device Provisioning or device key (identifiable)",
    risk: "Connects as the device or with the policy's rights: send forged telemetry, receive cloud-to-device commands, or with `iothubowner` register and control every device.",
    formats: [F.iot],
    remediation: "Regenerate the device, enrollment or policy key in the IoT Hub or Device Provisioning Service: https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas",
    positives: ['"symmetricKey": { "primaryKey": "4NZO9IzlbzhYS2IARfLpYFEFa0qb40flWAIoTAP6+d0=" }', "DPS_ENROLLMENT_KEY=3R7vR+8EPitivimtSfbWyL7lfYpOPrfe4AIoTQfJ1Mc="],
    negatives: ["DPS_ENROLLMENT_KEY=yorCH5sQSeRayDCpkJ0kdZkV0nzdnHq1vAIoT7PSGLU=", "#include <AIoTC_Config.h>"],
  }),
  identifiableRule({
    id: "azure-search-identifiable-key",
    title: "Azure AI Search admin or query key (identifiable)",
    risk: "An admin key creates, changes and deletes indexes and every document in them; a query key reads every searchable document, often the private data behind a RAG application.",
    formats: [F.search],
    remediation: "Regenerate the admin key (Keys > Regenerate) or delete the query key, and prefer Entra ID roles: https://learn.microsoft.com/azure/search/search-security-api-keys",
    positives: ['AZURE_SEARCH_ADMIN_KEY="3G8e05M1lDwZKkphkDVOwprb5jI77bAsfq2z2v1IKhAzSej9q3E4"', "curl -H 'api-key: omFgEnNrVLFJ9eDG7EuMDCplfa15Gih8i5S0ODz2s2AzSe54WeSi' https://docs-search.search.windows.net/indexes"],
    negatives: ['AZURE_SEARCH_ADMIN_KEY="aaXASChQxZHRnFPtXGKm5w336XXz5rAn1FzuxLpJ4BAzSehyxFTA"', "public int? ContAzsedeId;"],
  }),
  identifiableRule({
    id: "azure-container-registry-identifiable-key",
    title: "Azure Container Registry access key or token password (identifiable)",
    risk: "Pulls every image in the registry, with the secrets baked into them, and with push rights replaces them: the next deployment runs the holder's code.",
    formats: [F.containerRegistry],
    remediation: "Regenerate the admin password or the token's password (Access keys or Tokens > Regenerate), and prefer Entra ID: https://learn.microsoft.com/azure/container-registry/container-registry-authentication",
    positives: ["docker login acmeprod.azurecr.io -u acmeprod -p H3Zn+b6CzjlJiB0B7lbtEZgzqOghSx7OI5dRJR3oDF+ACRAppji5", '  password = "eFtIjYMJMQcqkk/gg8p9jAXBeO5SjdH+IUcOec2us0+ACRSgiM/R"'],
    negatives: ['  password = "XWw0iByQ82hE+VDC+HiHc06wvFPmR39o8zhoUSxrkC+ACRe7yDOs"', 'console.log("max acr: "+acrArr[0].acrCategory)'],
  }),
  identifiableRule({
    id: "azure-apim-identifiable-key",
    title: "Azure API Management subscription, gateway or management key (identifiable)",
    risk: "A subscription key calls the APIs it is scoped to as the subscriber; a gateway or direct management key controls the API Management instance itself.",
    formats: [F.apiManagement],
    remediation: "Regenerate the subscription key (Subscriptions > Regenerate) or the gateway or management key: https://learn.microsoft.com/azure/api-management/api-management-subscriptions",
    positives: [
      "Ocp-Apim-Subscription-Key: 0yb8zF7IqCZ+wmRJToD97GZyeQ5XAG/OwqL4r8zsxsDsyhdG+nvlYKJIRCbPt9X9MIquvdFNPzoMAPIMJxu34A==",
      'apimKey: "HaaOLHXb1TKZ8WI7k4Z78lcFVCjCl7opbMjwQD+tQ/r01Bun6S2u/0kH2+7Pr1TBQmgkJfyvhRYBAPIMB13ZVg=="',
    ],
    negatives: ['apimKey: "7V46HekQ2Vok4naXMaF1MdT834/JZymfJMvQc65OOmR6/RB/in8qhuVzLsUdRuaaWdZL55kuDQIpAPIM9PlxFw=="', "Ocp-Apim-Subscription-Key: {{apim-key}}"],
  }),
  identifiableRule({
    id: "azure-cache-redis-identifiable-key",
    title: "Azure Cache for Redis access key (identifiable)",
    risk: "Reads and changes everything in the cache (sessions, tokens, queued jobs) and, with FLUSHALL or CONFIG, takes the applications that rely on it down.",
    formats: [F.redis],
    remediation: "Regenerate the access key (Authentication > Access keys > Regenerate) and prefer Entra ID: https://learn.microsoft.com/azure/azure-cache-for-redis/cache-configure#access-keys",
    positives: ["REDIS=acme-sessions.redis.cache.windows.net:6380,password=kO7vCAua0RuuV5NSHAgqKrrpvAnOCVjOZAzCaZ07MAc=,ssl=True,abortConnect=False", 'redis_password = "iuM6zhYiBqf9Ysml43JrOsntFD1wwleAQAzCaoUWAsA="'],
    negatives: ['redis_password = "VL0cHQhQHDQxzeb16vSoZrXIOVDUwumNEAzCaSzX4C0="', "name: 'azcae${resourceToken}'"],
  }),
  identifiableRule({
    id: "azure-batch-identifiable-key",
    title: "Azure Batch account key (identifiable)",
    risk: "Creates pools and jobs that run arbitrary code on the account's compute (billed to it), and reads the task outputs and the credentials passed to them.",
    formats: [F.batch],
    remediation: "Regenerate the account key (Keys > Regenerate) and prefer Entra ID: https://learn.microsoft.com/azure/batch/batch-aad-auth",
    positives: [
      "az batch account login -n acmejobs -g render --shared-key-auth # key: 5VtUBglR4OPmnZYLcwFAXdP/5ismvHy/BwuzvPqiSnHIk1VDnu+k9HXsczB63wnbZf6LC4FHejkL+ABabJV0iQ==",
      'BATCH_ACCOUNT_KEY="8vL1IaWnmza7c7XFg09gzeWDa6EENeavK9wVRcwsGlmldToP8TQ4897TOGBa+0ekrfSfLvk+aJuO+ABa9jH94A=="',
    ],
    negatives: ['BATCH_ACCOUNT_KEY="uOmNG26Q/UyXpNqxd0Jfv2qtsbALL672ZLKxtQpNk3OwfhCSxD4l+LMPlm1xFgAsrXgzftZsMs+t+ABaOXMQUg=="', "BATCH_ACCOUNT_KEY=${{ secrets.BATCH_KEY }}"],
  }),
  identifiableRule({
    id: "azure-event-grid-identifiable-key",
    title: "Azure Event Grid topic or domain access key (identifiable)",
    risk: "Publishes events to the topic or domain: every subscriber (functions, webhooks, queues) acts on forged events as if the platform sent them.",
    formats: [F.eventGrid],
    remediation: "Regenerate the access key (Access keys > Regenerate key) and prefer Entra ID: https://learn.microsoft.com/azure/event-grid/authenticate-with-access-keys-shared-access-signatures",
    positives: ["aeg-sas-key: IEHLkAEfceZgpMMuyEwopbncrRvoE0RwyAZEGQW0CVw=", 'EVENTGRID_TOPIC_KEY="ju29G8WSNS/iHc0yzp26NKrPt2vn8Sa8BAZEGQbHljk="'],
    negatives: ['EVENTGRID_TOPIC_KEY="RpYplUKQ8jY3t8gnbK27UDsB/c7ZYoZMkAZEGmE3zYI="', "aeg-sas-key: <topic key>"],
  }),
];
