/**
 * AWS. An access key id alone is not a credential, but it is rarely committed without its secret,
 * and its prefix is exact (AKIA long-term, ASIA temporary, ABIA/ACCA service-specific, base32
 * body). The secret access key and session token have no structure of their own: they are only
 * matched next to their key names. AWS's documentation examples are allowed.
 */
import type { SecretRule } from "../rule.js";
import { isBedrockApiKey } from "../validators/structured-token.js";
import { keyed, keyedPattern, keyVariants } from "./keyed.js";

const ROTATE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console";

export const awsRules: readonly SecretRule[] = [
  {
    id: "aws-access-key-id",
    provider: "AWS",
    title: "AWS access key id",
    risk: "On its own the id grants nothing, but it names the IAM user or role and is rarely committed without its secret key; together they sign API calls as that identity.",
    // Not the key id inside a presigned URL (`X-Amz-Credential=`, `AWSAccessKeyId=`): such URLs are
    // made to be shared, webhook payloads and API docs are full of them, and the id alone grants
    // nothing. RE2 has no lookbehind, so the match takes the parameter name in and `validate` drops it.
    pattern: /\b(?<secret>(?:(?:[Cc]redential|AWSAccessKeyId)=)?(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    validate: (secret) => !secret.includes("="),
    severity: "high",
    redactPrefix: "AKIA",
    verifier: "aws",
    remediation: `Deactivate and delete the access key in IAM, then rotate its users: ${ROTATE}`,
    allow: ["AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"],
    samples: {
      positives: [
        "aws_access_key_id = AKIAR3EAYAP2ISWETECW",
        'const accessKeyId = "ASIAPWOSQEPW5SOCS3AX";',
        "  AccessKeyId: ABIAAA5PLYAWAY7EDTAE",
      ],
      negatives: [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_access_key_id = AKIAOANFB5YKBFOP",
        "id: AKIADDEGPK2W01893O7T",
        "sku = AKIABRWL7HMLV2MDOBMQC",
        "https://bucket.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQ4NZ3RT7VXK2LMWD%2F20240510%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0b7c",
        "https://bucket.s3.amazonaws.com/report.csv?AWSAccessKeyId=AKIAZ7P2MXW3KQ5TRN4B&Expires=1715300000&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D",
      ],
    },
  },
  {
    id: "aws-secret-access-key",
    provider: "AWS",
    title: "AWS secret access key",
    risk: "With its key id it signs API calls as the IAM identity: whoever holds it can read S3 data, start instances and run up costs; keys pushed to public repositories are tried by scanners within minutes.",
    ...keyedPattern(["aws secret access key", "secret access key", "aws secret key"], "[A-Za-z0-9/+]{40}", "A-Za-z0-9/+=", ["secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret_key", "awssecretkey"]),
    minEntropy: 4.2,
    severity: "critical",
    verifier: "aws",
    remediation: `Deactivate the access key pair in IAM and create a new one: ${ROTATE}`,
    allow: ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"],
    samples: {
      positives: [
        "aws_secret_access_key = ZtMO/AbNKwPUA0vobNmmLbKW5++zwsdgiCZXphkj",
        'AWS_SECRET_ACCESS_KEY="dNjTRl1H+NHsoQbrOM+Phh1Mcs42pOoBAlQBTjDk"',
        '  "SecretAccessKey": "g+LGTfbpe06+tUf07jAb0x1SyOwz4ccpjmks0uFO",',
      ],
      negatives: ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = 57d6b11d487d7220f7ffca1a1e1a26966a82f734", "aws_secret_access_key = ${{ secrets.AWS_SECRET_ACCESS_KEY }}", "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}", "checksum = Q80kNuy/LiMGk6Hofn9i/B47q+IgkqzlWvnaCEjw"],
    },
  },
  {
    id: "aws-session-token",
    provider: "AWS",
    title: "AWS temporary session token",
    risk: "With its key pair it acts as the assumed role until the session expires, often hours later: enough time to copy data or, with IAM rights, create long-term keys that outlive it.",
    // Next to its key name, or anywhere with the prefix STS gives every token (base64 of its
    // first protobuf bytes: "IQoJb3JpZ2luX2Vj" decodes to "origin_ec"). The second form has no
    // `secret` group: the whole match is the token.
    pattern: new RegExp(
      `${keyed(["aws session token", "aws security token"], "[A-Za-z0-9/+=]{100,}", "A-Za-z0-9/+=").source}|\\b(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE|AQoDYXdzE)[A-Za-z0-9/+=]{100,}`,
    ),
    keywords: [...keyVariants("aws session token"), ...keyVariants("aws security token"), "iqojb3jpz2lux2vj", "fwogzxivyxdze", "fqogzxivyxdze", "aqodyxdze"],
    minEntropy: 4.5,
    severity: "high",
    verifier: "aws",
    remediation: `Revoke the role's active sessions (IAM console, "Revoke active sessions"): https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html`,
    samples: {
      positives: ["aws_session_token = IQoJb3JpZ2luX2VjZzSuTOH0quoREAXy9JAXrV0US1FLfUNzpybhwA0stSCNGxgiKIvsUVU4bTwDz0sr7XnlBvt0S8eZGO23nNlNMBwYrCYuo245yxkp/C246V3PDJDzWy0zVOLTH+fKY/QMle/PVlpcv36lqkN8e0M8HXaSW/Sdfv4f6m8KkdH7RlxBHv4YoZo0yNan9Ik2X3j5v3v2deNIigONa4pTDbXxJj/eRADsBYpg8GpV0MJBCzqpgG8g0GFOl6WMLv5v5lza8QRhwIildV/9v+WCjd9c9umw44+SZoUg0NGGCkKRG6yx", "export AWS_SESSION_TOKEN=\"FwoGZXIvYXdzETN8Rb1w6g5+NknrEienDOEU29NCtX6tlKpGU6U0ofUZ6s9EHHd2rAYAnF45YhFKLivsiiB9VuORC3C1bTTmNQx16IBvirrz2fKuuIW4gcknzrvtH69J3BUNJMpF00kCtLueTTI39Ld9JDuh+JLrhVnadC9e2/WVvHT8nUWjHubTF2/1M5xsWQBqzguQQhnsF1IrqE1j2IKGFK5tcq0spqwRbV9iPAZKohtfjf6CtynimFyrGpvr33PPSashDvj6EOaS8=\"", "    \"SessionToken\": \"IQoJb3JpZ2luX2VjBQ8ME5nhihMWsXpBiLHZ3J7VtJmgRdbTo9ZBVkkfrKodUggF5G+Vzyzn9H9yEHqm40PmW4wM1/AQzIwd5mffVFBO9IdB/g0BDAWM7ZnWaB+wlFN2r9gAgI/h7H0ylJHekbO7MXVpN6cUX+JbtW5UdtzLkkaQyhvotTyyUWdQ/0GNKUQP0cCj9MwVZep9XQcMZck3nNM6MI2S8AxFyMtN+Wez7yToAATkSBO+7wsZ4n8foawZtHivVzw2tFyWrcgk9p1DURCgYSVMGBF6fCmz2jNB5ABYOSTmxOnYQuJqsBc7rtLb6z22neG7n4jufE+UA6X2FKTKbU5bSsHjca56Vi9Fdfdx736/7XB3Ekol4EwDHs0OBkKtBpn5Nc94aGpisRE+BPJPZHqAtuR/\","],
      negatives: ["aws_session_token = ${AWS_SESSION_TOKEN}", "aws_session_token: !Ref SessionToken", "session_token = ad785c268e80cb580ce9880484df5f65c4c16b0678b78c613bbea20949bfe850", "\"Blob\": \"IQoJb3JpZ2luX2VjbUigymuAVi3uPJfrbH4O\""],
    },
  },
  {
    id: "aws-mws-auth-token",
    provider: "AWS",
    title: "Amazon Marketplace Web Service auth token",
    risk: "Lets a developer app act for the seller account: read orders with buyers' names and addresses, change listings and prices, and pull financial reports.",
    pattern: /\b(?<secret>amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
    keywords: ["amzn.mws."],
    severity: "high",
    redactPrefix: "amzn.mws.",
    remediation: "Revoke the developer's MWS authorization in Seller Central (Settings > User Permissions): https://sellercentral.amazon.com/apps/manage",
    samples: {
      positives: ["mws_auth_token: amzn.mws.51e4cfda-9ebb-1a3d-791d-65f555d88aad", 'token = "amzn.mws.711371da-8a28-d214-7e5c-37a41844fcc2"'],
      negatives: ["mws_auth_token: amzn.mws.81bfa44a-33d4-cc26", "token = amzn.mws.EE9F46ZP-c720-b034-6df5-dd709b4f2611"],
    },
  },
  {
    id: "aws-bedrock-api-key",
    provider: "AWS",
    title: "Amazon Bedrock long-term API key",
    risk: "Calls Bedrock models billed to the AWS account: leaked keys are used to run expensive models for others (LLMjacking) and can run up thousands in charges within hours.",
    pattern: /(?:^|[^A-Za-z0-9+/_-])(?<secret>ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{60,400}={0,2})(?:[^A-Za-z0-9+/=]|$)/,
    keywords: ["absk"],
    validate: isBedrockApiKey,
    severity: "critical",
    redactPrefix: "ABSK",
    remediation: "Delete the Bedrock API key (IAM service-specific credential) and issue a new one: https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
    samples: {
      positives: ["AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS0yaGJ5LWF0LTY2MjAzMjg5NTk3NTpXZkJJa05hN0s5WkhRZ1Yvd3NqaVdEWXdPL1libGwxNmZkTERTeHU5Q2VFOG5UWldINk5UQ2dzRz0=", "bedrock_key = \"ABSKQmVkcm9ja0FQSUtleS15OG5xLWF0LTM3MzU4NDc1NDE4NzpKMU5UOEtCN0JaVllFbE8xV29vaFpHN2VJb1Q0ZncrbHhnZ2dwOUZQZytsNkdZa2lmUUZWS1BJaD0=\""],
      negatives: ["AWS_BEARER_TOKEN_BEDROCK=ABSKJI8fyxDkJnB90A1XsyoFXQ5E1m5/o7Ouph0hD7qr4UJhYCnq1X0Ab75/BZvLdvjL3E7P9No7q1ayYnpy40LAAiwflFr5bIPsSZSBtTU71raX7IfqNkjeLK8B", "AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleSecFOPhF8Co1TaKs65bIh", "AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleSPtUvrvjzBFnpYK/D1PtYtTPx0jlFRvZgNrGmYH53Dyql1BefDkUFLeKcftQMhBDDsqGu5G5qLZg6oiu8atQvX1ZzeYlAmHIa1pZ2"],
    },
  },
  {
    id: "aws-appsync-api-key",
    provider: "AWS",
    title: "AWS AppSync API key",
    risk: "Runs every GraphQL query and mutation the API allows for API-key callers; such keys often ship in client apps, hence medium, but mutations open to it can change data.",
    pattern: /\b(?<secret>da2-[a-z0-9]{26})\b/,
    keywords: ["da2-"],
    severity: "medium",
    redactPrefix: "da2-",
    remediation: "Delete the API key in the AppSync console and create a new one: https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#api-key-authorization",
    samples: {
      positives: ['"aws_appsync_apiKey": "da2-qt9fek60v1m3js3ycho9l6abu8"', "APPSYNC_KEY=da2-4omtbhwo61cvzpcvy32iqj0svo"],
      negatives: ["APPSYNC_KEY=da2-8ayvyrl0gm8hk25n7zl3", "APPSYNC_KEY=da2-TG5H9GJZGT2SWF77M9RCQ4S76E"],
    },
  },
];
