import { describe, expect, it } from "vitest";
import { isStoredCredential, unescapeBackslashes } from "../../../../src/checks/secrets/credential-files/stored-value.js";

describe("stored credential values", () => {
  it("keeps weak passwords: the file's format says they are passwords", () => {
    for (const value of ["hunter2", "Summer2024!", "admin", "postgres", "letmein1", "{AQAAABAAAAAQ3kVb9xLmT2qZ7pW4nR8sY1uC6hF0jD5gE=}"]) expect(isStoredCredential(value), value).toBe(true);
  });

  it("drops what stands where a password goes", () => {
    for (const value of ["", "  ", "x", "xxx", "***", "......", "<password>", "<your password>", "${PASS}", "$PASS", "%(password)s", "%s", "{password}", "{ db_pass }", "$(pass show ftp)", "your-password", "changeme", "password", "null", "REDACTED", "ENC[AES256_GCM,data:abc]", "<%= ENV['X'] %>"]) {
      expect(isStoredCredential(value), value).toBe(false);
    }
  });

  it("unescapes backslash escapes", () => {
    expect(unescapeBackslashes('a\\"b\\\\c')).toBe('a"b\\c');
  });
});
