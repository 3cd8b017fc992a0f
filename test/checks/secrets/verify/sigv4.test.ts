import { describe, expect, it } from "vitest";
import { amzDate, canonicalRequest, signingKey, signV4 } from "../../../../src/checks/secrets/verify/sigv4.js";

// AWS's published Signature Version 4 example (IAM ListUsers, 2015-08-30) with its documented
// example credentials, which are not real: the derived key and signature are the documented ones.
const EXAMPLE = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const request = {
  method: "GET",
  url: new URL("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
  headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
  body: "",
  region: "us-east-1",
  service: "iam",
  date: new Date("2015-08-30T12:36:00Z"),
};

describe("SigV4", () => {
  it("formats the request date", () => {
    expect(amzDate(request.date)).toBe("20150830T123600Z");
  });

  it("derives the documented signing key", () => {
    expect(signingKey(EXAMPLE.secretAccessKey, "20150830", "us-east-1", "iam").toString("hex")).toBe(
      "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
    );
  });

  it("builds the documented canonical request", () => {
    const canonical = canonicalRequest(request, {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      host: "iam.amazonaws.com",
      "x-amz-date": "20150830T123600Z",
    });
    expect(canonical).toBe(
      [
        "GET",
        "/",
        "Action=ListUsers&Version=2010-05-08",
        "content-type:application/x-www-form-urlencoded; charset=utf-8",
        "host:iam.amazonaws.com",
        "x-amz-date:20150830T123600Z",
        "",
        "content-type;host;x-amz-date",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
  });

  it("produces the documented signature", () => {
    const headers = signV4(request, EXAMPLE);
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date, " +
        "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
  });

  it("signs the session token when there is one", () => {
    const headers = signV4(request, { ...EXAMPLE, sessionToken: "session" });
    expect(headers["x-amz-security-token"]).toBe("session");
    expect(headers.authorization).toContain("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token");
  });
});
