import { describe, expect, it } from "vitest";
import { ContextView } from "../../../../src/checks/secrets/context/context-view.js";
import { proseLines } from "../../../../src/checks/secrets/context/prose.js";
import { arrayView, linesOf } from "./fixtures.js";

const derive = (...lines: string[]) => proseLines(new ContextView(arrayView(linesOf(lines.join("\n")))));

describe("proseLines", () => {
  it("pairs a name span and a value span joined by a short connector", () => {
    expect(derive("Set `TWILIO_AUTH_TOKEN` to `v1`.")).toEqual([{ line: 1, text: 'TWILIO_AUTH_TOKEN: "v1"' }]);
    expect(derive("export ``API_KEY`` = ``'v2'``")).toEqual([{ line: 1, text: 'API_KEY: "v2"' }]);
    expect(derive("use `AWS_SECRET_ACCESS_KEY`: `v3`")).toEqual([{ line: 1, text: 'AWS_SECRET_ACCESS_KEY: "v3"' }]);
    expect(derive("run it with `$TOKEN` as `v4` and `SECRET` with the value `v5`")).toEqual([
      { line: 1, text: 'TOKEN: "v4"' },
      { line: 1, text: 'SECRET: "v5"' },
    ]);
  });

  it("leaves sentences, table cells, other connectors and other lines alone", () => {
    expect(derive("Set `password` to `a long phrase of words`")).toEqual([]);
    expect(derive("| `API_KEY` | `v` |")).toEqual([]);
    expect(derive("The `CHECKSUM` is `v`")).toEqual([]);
    expect(derive("Call `getToken` with `clientId`.")).toEqual([]);
    expect(derive("Set `API_KEY` to", "`v`")).toEqual([]);
    expect(derive("Set ```API_KEY``` to `v`")).toEqual([]);
  });
});
