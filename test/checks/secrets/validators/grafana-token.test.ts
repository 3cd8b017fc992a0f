import { describe, expect, it } from "vitest";
import { crc32 } from "../../../../src/checks/secrets/validators/crc32.js";
import { grafanaChecksum, hasValidGrafanaChecksum } from "../../../../src/checks/secrets/validators/grafana-token.js";

const KEY = "glsa_Vd3kQ9mZt7LpR2xWc8NbJ4hF6sYa1GeU";

describe("Grafana service account token checksum", () => {
  it("is the CRC-32 of glsa_<secret> as little-endian hex", () => {
    const sum = crc32(KEY);
    const littleEndian = [0, 8, 16, 24].map((shift) => ((sum >>> shift) & 0xff).toString(16).padStart(2, "0")).join("");
    expect(grafanaChecksum(KEY)).toBe(littleEndian);
    expect(grafanaChecksum(KEY)).toMatch(/^[0-9a-f]{8}$/);
  });

  it("accepts a constructed token and rejects alterations", () => {
    const token = `${KEY}_${grafanaChecksum(KEY)}`;
    expect(hasValidGrafanaChecksum(token)).toBe(true);
    const flipped = token.slice(0, 10) + (token[10] === "a" ? "b" : "a") + token.slice(11);
    expect(hasValidGrafanaChecksum(flipped)).toBe(false);
    const badSum = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    expect(hasValidGrafanaChecksum(badSum)).toBe(false);
  });

  it("rejects other shapes", () => {
    expect(hasValidGrafanaChecksum(`${KEY}_XYZ`)).toBe(false);
    expect(hasValidGrafanaChecksum(KEY)).toBe(false);
    expect(hasValidGrafanaChecksum(`glsa_short_${grafanaChecksum("glsa_short")}`)).toBe(false);
  });
});
