import { describe, expect, it } from "vitest";
import { affectedVersion, fixedVersions, lowestFixedAbove } from "../../../../src/checks/dependencies/osv/affects.js";
import type { Ecosystem } from "../../../../src/checks/dependencies/model.js";
import { osvFixture, recordWith } from "./records.js";

const q = (ecosystem: Ecosystem, name: string, version: string) => ({ ecosystem, name, version });

describe("affectedVersion: GHSA npm record with SEMVER ranges (lodash)", () => {
  const lodash = osvFixture("ghsa-npm-lodash.json");

  it.each([
    ["0.1.0", true],
    ["4.17.11", true],
    ["4.17.12-beta.1", true],
    ["4.17.12", false],
    ["4.17.21", false],
    ["5.0.0", false],
  ])("lodash@%s affected: %s", (version, affected) => {
    expect(affectedVersion(lodash, q("npm", "lodash", version))).toBe(affected);
  });

  it("compares ecosystem and npm names exactly", () => {
    expect(affectedVersion(lodash, q("npm", "lodash-es", "4.17.11"))).toBe(true);
    expect(affectedVersion(lodash, q("npm", "Lodash", "4.17.11"))).toBe(false);
    expect(affectedVersion(lodash, q("npm", "lodash.merge", "4.17.11"))).toBe(false);
    expect(affectedVersion(lodash, q("PyPI", "lodash", "4.17.11"))).toBe(false);
  });

  it("names the fix above the current version, and none once fixed", () => {
    expect(lowestFixedAbove(lodash, q("npm", "lodash", "4.17.11"))).toBe("4.17.12");
    expect(lowestFixedAbove(lodash, q("npm", "lodash", "4.17.12"))).toBeUndefined();
    expect(lowestFixedAbove(lodash, q("npm", "lodash", "4.17.21"))).toBeUndefined();
    expect(fixedVersions(lodash, { ecosystem: "npm", name: "lodash" })).toEqual(["4.17.12"]);
  });
});

describe("affectedVersion: PyPI ECOSYSTEM ranges (django)", () => {
  const django = osvFixture("pypi-django-ecosystem.json");

  it.each([
    ["2.1.15", false],
    ["2.2", true],
    ["2.2.26", true],
    ["2.2.27", false],
    ["3.0", false],
    ["3.2.11", true],
    ["3.2.12", false],
    ["4.0a1", false],
    ["4.0.0", true],
    ["4.0.2rc1", true],
    ["4.0.2", false],
    ["4.0.2.post1", false],
  ])("Django %s affected: %s", (version, affected) => {
    expect(affectedVersion(django, q("PyPI", "Django", version))).toBe(affected);
  });

  it("matches names by PEP 503 normalisation", () => {
    expect(affectedVersion(django, q("PyPI", "DJANGO", "4.0.1"))).toBe(true);
    expect(affectedVersion(django, q("PyPI", "djang0", "4.0.1"))).toBe(false);
  });

  it("picks the fix of the branch the version is on", () => {
    expect(lowestFixedAbove(django, q("PyPI", "django", "2.2.5"))).toBe("2.2.27");
    expect(lowestFixedAbove(django, q("PyPI", "django", "3.2.0"))).toBe("3.2.12");
    expect(lowestFixedAbove(django, q("PyPI", "django", "4.0"))).toBe("4.0.2");
    expect(lowestFixedAbove(django, q("PyPI", "django", "3.0"))).toBeUndefined();
    expect(fixedVersions(django, { ecosystem: "PyPI", name: "django" })).toEqual(["2.2.27", "3.2.12", "4.0.2"]);
  });
});

describe("affectedVersion: a record with only versions", () => {
  const record = osvFixture("versions-only.json");
  const name = "typing-extensions-native";

  it("matches listed versions by exact string and ignores GIT ranges", () => {
    expect(affectedVersion(record, q("PyPI", name, "1.0.1"))).toBe(true);
    expect(affectedVersion(record, q("PyPI", "Typing.Extensions_Native", "1.0.0"))).toBe(true);
    expect(affectedVersion(record, q("PyPI", name, "1.0.2"))).toBe(false);
    expect(affectedVersion(record, q("PyPI", name, "1.0"))).toBe(false);
    expect(affectedVersion(record, q("PyPI", name, "0.9"))).toBe(false);
  });

  it("knows no fix", () => {
    expect(lowestFixedAbove(record, q("PyPI", name, "1.0.1"))).toBeUndefined();
    expect(fixedVersions(record, { ecosystem: "PyPI", name })).toEqual([]);
  });
});

describe("affectedVersion: last_affected", () => {
  const h2 = osvFixture("last-affected.json");
  const name = "com.h2database:h2";

  it("includes the last affected version and nothing above it", () => {
    expect(affectedVersion(h2, q("Maven", name, "1.4.200"))).toBe(true);
    expect(affectedVersion(h2, q("Maven", name, "2.1.214"))).toBe(true);
    expect(affectedVersion(h2, q("Maven", name, "2.1.214.0"))).toBe(true);
    expect(affectedVersion(h2, q("Maven", name, "2.2.220"))).toBe(false);
  });

  it("knows no fixed version", () => {
    expect(lowestFixedAbove(h2, q("Maven", name, "2.1.210"))).toBeUndefined();
  });
});

describe("lowestFixedAbove: several ranges with several fixes", () => {
  const jackson = osvFixture("maven-jackson-several-ranges.json");
  const name = "com.fasterxml.jackson.core:jackson-databind";

  it.each([
    ["2.9.10.8", "2.12.6.1"],
    ["2.12.6", "2.12.6.1"],
    ["2.13.1", "2.13.2.1"],
    ["2.14.0-rc2", "2.14.0"],
  ])("jackson-databind %s is fixed in %s", (version, fixed) => {
    expect(affectedVersion(jackson, q("Maven", name, version))).toBe(true);
    expect(lowestFixedAbove(jackson, q("Maven", name, version))).toBe(fixed);
  });

  it.each(["2.12.6.1", "2.12.7", "2.13.2.1", "2.13.4", "2.14.0", "2.15.2"])("jackson-databind %s is not affected", (version) => {
    expect(affectedVersion(jackson, q("Maven", name, version))).toBe(false);
    expect(lowestFixedAbove(jackson, q("Maven", name, version))).toBeUndefined();
  });

  it("lists every fix lowest first", () => {
    expect(fixedVersions(jackson, { ecosystem: "Maven", name })).toEqual(["2.12.6.1", "2.13.2.1", "2.14.0"]);
  });

  it("skips a fix that another range still marks affected", () => {
    const record = recordWith("npm", "pkg", [
      { type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.2.0" }] },
      { type: "SEMVER", events: [{ introduced: "1.1.0" }, { fixed: "1.5.0" }] },
    ]);
    expect(lowestFixedAbove(record, q("npm", "pkg", "1.1.5"))).toBe("1.5.0");
    expect(lowestFixedAbove(record, q("npm", "pkg", "1.0.0"))).toBe("1.5.0");
  });

  it("never names a fix when another range is only bounded by last_affected above it", () => {
    const record = recordWith("npm", "pkg", [
      { type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.2.0" }] },
      { type: "SEMVER", events: [{ introduced: "0" }, { last_affected: "1.8.0" }] },
    ]);
    expect(lowestFixedAbove(record, q("npm", "pkg", "1.0.0"))).toBeUndefined();
  });
});

describe("range events", () => {
  it('treats introduced "0" as before everything and sorts unsorted events', () => {
    const record = recordWith("npm", "pkg", [
      { type: "SEMVER", events: [{ fixed: "3.2.5" }, { introduced: "3.0.0" }, { fixed: "1.0.2" }, { introduced: "0" }] },
    ]);
    const cases: [string, boolean][] = [
      ["0.0.1", true],
      ["1.0.1", true],
      ["1.0.2", false],
      ["2.9.9", false],
      ["3.0.0-rc.1", false],
      ["3.0.0", true],
      ["3.2.4", true],
      ["3.2.5", false],
    ];
    for (const [version, affected] of cases) expect(affectedVersion(record, q("npm", "pkg", version)), version).toBe(affected);
    expect(lowestFixedAbove(record, q("npm", "pkg", "3.1.0"))).toBe("3.2.5");
  });

  it("affects every version when only introduced 0 is given", () => {
    const record = recordWith("crates.io", "smallvec", [{ type: "SEMVER", events: [{ introduced: "0" }] }]);
    expect(affectedVersion(record, q("crates.io", "smallvec", "0.0.1"))).toBe(true);
    expect(affectedVersion(record, q("crates.io", "smallvec", "99.0.0"))).toBe(true);
    expect(lowestFixedAbove(record, q("crates.io", "smallvec", "1.0.0"))).toBeUndefined();
  });

  it("reads an empty interval (introduced and fixed at one version) as empty, [x, x] as one version", () => {
    const empty = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ fixed: "1.0.0" }, { introduced: "1.0.0" }] }]);
    expect(affectedVersion(empty, q("npm", "pkg", "1.0.0"))).toBe(false);
    const single = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ last_affected: "1.0.0" }, { introduced: "1.0.0" }] }]);
    expect(affectedVersion(single, q("npm", "pkg", "1.0.0"))).toBe(true);
    expect(affectedVersion(single, q("npm", "pkg", "1.0.1"))).toBe(false);
  });

  it("honours limit events, * meaning infinity", () => {
    const limited = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ introduced: "0" }, { limit: "2.0.0" }] }]);
    expect(affectedVersion(limited, q("npm", "pkg", "1.9.9"))).toBe(true);
    expect(affectedVersion(limited, q("npm", "pkg", "2.0.0"))).toBe(false);
    const unlimited = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ introduced: "0" }, { limit: "*" }] }]);
    expect(affectedVersion(unlimited, q("npm", "pkg", "9.0.0"))).toBe(true);
  });

  it("uses the ecosystem's order for ECOSYSTEM ranges and SemVer for SEMVER ranges", () => {
    // Under Maven rules 1.0-SNAPSHOT < 1.0; under SemVer "1.0" is not a version at all.
    const maven = recordWith("Maven", "g:a", [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.0" }] }]);
    expect(affectedVersion(maven, q("Maven", "g:a", "1.0-SNAPSHOT"))).toBe(true);
    expect(affectedVersion(maven, q("Maven", "g:a", "1.0.0"))).toBe(false);
    const semverOnMaven = recordWith("Maven", "g:a", [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.0" }] }]);
    expect(affectedVersion(semverOnMaven, q("Maven", "g:a", "2.0.0"))).toBe(true);
  });

  it("compares NuGet names case-insensitively and others exactly", () => {
    const nuget = recordWith("NuGet", "Newtonsoft.Json", [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "13.0.1" }] }]);
    expect(affectedVersion(nuget, q("NuGet", "newtonsoft.json", "12.0.3"))).toBe(true);
    expect(affectedVersion(nuget, q("NuGet", "newtonsoft.json", "13.0.1"))).toBe(false);
    const composer = recordWith("Packagist", "symfony/http-kernel", [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "5.4.20" }] }]);
    expect(affectedVersion(composer, q("Packagist", "symfony/http-kernel", "5.4.20-RC1"))).toBe(true);
    expect(affectedVersion(composer, q("Packagist", "Symfony/Http-Kernel", "5.4.1"))).toBe(false);
    const gem = recordWith("RubyGems", "rails", [{ type: "ECOSYSTEM", events: [{ introduced: "7.0.0" }, { fixed: "7.0.4.1" }] }]);
    expect(affectedVersion(gem, q("RubyGems", "rails", "7.0.4"))).toBe(true);
    expect(affectedVersion(gem, q("RubyGems", "rails", "7.0.0.rc1"))).toBe(false);
  });
});

describe("Go records (v-less range versions, v-prefixed queries)", () => {
  const go = osvFixture("go-x-crypto.json");

  it("evaluates pseudo-versions against pseudo-version fixes", () => {
    expect(affectedVersion(go, q("Go", "golang.org/x/crypto", "v0.0.0-20191011191535-87dc89f01550"))).toBe(true);
    expect(affectedVersion(go, q("Go", "golang.org/x/crypto", "v0.0.0-20200124225646-8b5121be2f68"))).toBe(false);
    expect(affectedVersion(go, q("Go", "golang.org/x/crypto", "v0.1.0"))).toBe(false);
  });

  it("spells the fix with a v when the module version has one", () => {
    expect(lowestFixedAbove(go, q("Go", "golang.org/x/crypto", "v0.0.0-20191011191535-87dc89f01550"))).toBe(
      "v0.0.0-20200124225646-8b5121be2f68",
    );
    expect(lowestFixedAbove(go, q("Go", "github.com/docker/docker", "v20.10.7+incompatible"))).toBe("v20.10.11+incompatible");
  });

  it("orders +incompatible versions by their release", () => {
    expect(affectedVersion(go, q("Go", "github.com/docker/docker", "v20.10.7+incompatible"))).toBe(true);
    expect(affectedVersion(go, q("Go", "github.com/docker/docker", "v20.10.11+incompatible"))).toBe(false);
    expect(affectedVersion(go, q("Go", "github.com/docker/docker", "v24.0.0+incompatible"))).toBe(false);
  });
});

describe("hostile records", () => {
  it("skips events with invalid versions instead of matching everything", () => {
    const record = recordWith("npm", "pkg", [
      { type: "SEMVER", events: [{ introduced: "not-a-version" }, { fixed: "2.0.0" }] },
      { type: "SEMVER", events: [{ introduced: "*" }] },
      { type: "ECOSYSTEM", events: [{ introduced: "" }] },
    ]);
    for (const version of ["0.0.1", "1.0.0", "3.0.0"]) expect(affectedVersion(record, q("npm", "pkg", version)), version).toBe(false);
  });

  it("ignores a fix it cannot read rather than naming it", () => {
    const record = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ introduced: "1.0.0" }, { fixed: "latest" }, { fixed: "1.4.0" }] }]);
    expect(affectedVersion(record, q("npm", "pkg", "1.2.0"))).toBe(true);
    expect(lowestFixedAbove(record, q("npm", "pkg", "1.2.0"))).toBe("1.4.0");
    expect(fixedVersions(record, { ecosystem: "npm", name: "pkg" })).toEqual(["1.4.0"]);
  });

  it("skips events that carry two kinds at once", () => {
    const record = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ introduced: "1.0.0", fixed: "2.0.0" }] }]);
    expect(affectedVersion(record, q("npm", "pkg", "1.5.0"))).toBe(false);
  });

  it("never puts an invalid installed version inside a range, but still matches it exactly", () => {
    const record = recordWith("npm", "pkg", [{ type: "SEMVER", events: [{ introduced: "0" }] }], ["git+https://x/y.git"]);
    expect(affectedVersion(record, q("npm", "pkg", "not a version"))).toBe(false);
    expect(affectedVersion(record, q("npm", "pkg", "git+https://x/y.git"))).toBe(true);
  });

  it("ignores GIT and unknown range types, and entries without a package", () => {
    const record = recordWith("npm", "pkg", [
      { type: "GIT", events: [{ introduced: "0" }] },
      { type: "FANCY", events: [{ introduced: "0" }] },
    ]);
    expect(affectedVersion(record, q("npm", "pkg", "1.0.0"))).toBe(false);
    expect(affectedVersion({ id: "X-1", affected: [{ ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }] }] }, q("npm", "pkg", "1.0.0"))).toBe(
      false,
    );
  });

  it("evaluates 10,000 shuffled events quickly", () => {
    const events: { introduced?: string; fixed?: string }[] = [];
    for (let minor = 0; minor < 5_000; minor++) events.push({ introduced: `1.${minor}.0` }, { fixed: `1.${minor}.5` });
    const shuffled = events.map((event, i) => ({ event, key: (i * 7919) % events.length })).sort((a, b) => a.key - b.key);
    const record = recordWith("npm", "pkg", [{ type: "SEMVER", events: shuffled.map((s) => s.event) }]);
    const started = performance.now();
    expect(affectedVersion(record, q("npm", "pkg", "1.4321.3"))).toBe(true);
    expect(affectedVersion(record, q("npm", "pkg", "1.4321.7"))).toBe(false);
    expect(lowestFixedAbove(record, q("npm", "pkg", "1.4321.3"))).toBe("1.4321.5");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("bounds the work on a record whose every fix is still affected", () => {
    const ranges = [{ type: "SEMVER", events: [{ introduced: "0" }] }];
    for (let patch = 1; patch <= 500; patch++) ranges.push({ type: "SEMVER", events: [{ introduced: "0" }, { fixed: `1.0.${patch}` } as never] });
    const record = recordWith("npm", "pkg", ranges);
    const started = performance.now();
    expect(lowestFixedAbove(record, q("npm", "pkg", "1.0.0"))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
