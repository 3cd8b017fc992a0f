import { describe, expect, it } from "vitest";
import { ContextView } from "../../../../src/checks/secrets/context/context-view.js";
import { serviceName, yamlParentKeyLines } from "../../../../src/checks/secrets/context/yaml-parent-key.js";
import { arrayView, linesOf } from "./fixtures.js";

const derive = (...lines: string[]) => yamlParentKeyLines(new ContextView(arrayView(linesOf(lines.join("\n")))));

describe("yamlParentKeyLines", () => {
  it("puts the parent's name before a credential child", () => {
    expect(derive("datadog:", "  site: datadoghq.eu", "  api_key: v1")).toEqual([{ line: 3, text: 'datadog_api_key: "v1"' }]);
    expect(derive("github.com:", "- user: octo", "  oauth_token: v2", "  protocol: https")).toEqual([{ line: 3, text: 'github_oauth_token: "v2"' }]);
    expect(derive("integrations:", "  twilio:   # staging", "    auth_token: 'v3'")).toEqual([{ line: 3, text: 'twilio_auth_token: "v3"' }]);
  });

  it("derives nothing without a bare parent key close enough above", () => {
    expect(derive("api_key: v")).toEqual([]);
    expect(derive("datadog: enabled", "  api_key: v")).toEqual([]);
    expect(derive("datadog:", ...Array.from({ length: 8 }, (_, i) => `  k${i}: x`), "  api_key: v")).toEqual([]);
    expect(derive("datadog:", "  site: datadoghq.eu")).toEqual([]);
    expect(derive("datadog:", "  datadog_api_key: v")).toEqual([]);
    expect(derive("datadog:", "  api_key: |", "    v")).toEqual([]);
    expect(derive("secretKeyRef:", "  name: db", "  key: password")).toEqual([]);
  });

  it("names a host by the label that says whose it is", () => {
    expect(serviceName("github.com")).toBe("github");
    expect(serviceName("api.github.com")).toBe("github");
    expect(serviceName("gitlab.example.com")).toBe("gitlab");
    expect(serviceName("datadog")).toBe("datadog");
  });
});
