/**
 * JSON Web Tokens. A JWT is a bearer credential until it expires; the scanner decodes it to say
 * what it is (issuer, algorithm, expiry). A candidate must decode to a JSON header naming `alg`
 * (validators/jwt.ts). Supabase "anon" keys are JWTs published in every client by design, so a
 * token whose role is `anon` is not reported, nor the Supabase CLI's local development keys.
 */
import type { SecretRule } from "../rule.js";
import { decodeBase64Json } from "../validators/base64.js";
import { isDecodableJwt } from "../validators/jwt.js";

function isReportableJwt(token: string): boolean {
  if (!isDecodableJwt(token)) return false;
  const payload = decodeBase64Json(token.split(".")[1] ?? "");
  // The Supabase CLI's local keys are signed with a published secret (issuer "supabase-demo").
  return payload?.role !== "anon" && payload?.iss !== "supabase-demo";
}

export const jwtRules: readonly SecretRule[] = [
  {
    id: "json-web-token",
    provider: "JSON Web Token",
    title: "JSON Web Token",
    risk: "Whoever presents it is accepted as its subject, with its claims, until it expires; many tokens live for months or carry no expiry at all.",
    pattern: /\b(?<secret>eyJ[A-Za-z0-9_-]{10,1000}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{0,1000})(?:[^A-Za-z0-9_.-]|$)/,
    keywords: ["eyj"],
    validate: isReportableJwt,
    // The payloads of jwt.io's, RFC 7519's and PyJWT's example tokens, copied into countless docs and tests.
    allow: [
      "eyJzb21lIjoicGF5bG9hZCJ9",
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
    ],
    severity: "high",
    redactPrefix: "eyJ",
    remediation:
      "Revoke the token with its issuer (or rotate the signing key if it can mint tokens), and load it from a secret store: https://datatracker.ietf.org/doc/html/rfc7009",
    samples: {
      positives: ["Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJibWlleXIzcDBvdWkiLCJpYXQiOjE3NjA4NDIwNTcsImV4cCI6MTc5MDE5NzE5Mn0.xormnZOzHmZmwHfuqmQTi6eLuUDFR7Z5SrDfrmLZKG4", 'SUPABASE_SERVICE_ROLE_KEY="eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4aHh6cng4Y2ZmbDUiLCJpYXQiOjE3NjA2NDY1MTksImV4cCI6MTc5MDA0ODQ3MH0.QRb7vvTvYNbiCzTHR36emBCX-bIyA9mX2aTGBhB3Sxe"'],
      negatives: [
        "ANON = eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.l_yi2Optws86NvO4AlsfqM78MYEZYdMY5dI23O1-wKJ",
        "blob = eyJBKy3G6T2x807R0d5qxh8FAizRLAcIW.eyJgdCT4q-Njo7iTHuKhR7MCe9oM5yddH-yuQST9p6f.-r4NRvqLcjQ8Q9NvKgguQaM0ARzXhb9VK9ZEybt3QIn",
        "SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.UxIjIRTOqfF8zjLxbyJIniKfyM9vIx_w_XwAaCe0cyu",
        "token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "header = eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjM0In0.QA_-6Mi0iuPWLFuaahPKhff6KWZNIG0KET5Uxoupnkf",
      ],
    },
  },
];
