import { describe, expect, it } from "vitest";
import { isOwnComment } from "../../src/app/review-writer.js";

describe("isOwnComment", () => {
  const ours = { login: "pr-sentinel[bot]", type: "Bot" };
  const otherBot = { login: "github-actions[bot]", type: "Bot" };
  const person = { login: "octocat", type: "User" };

  it("knows the app by its bot login when the check run named it", () => {
    expect(isOwnComment(ours, "pr-sentinel[bot]")).toBe(true);
    expect(isOwnComment(otherBot, "pr-sentinel[bot]")).toBe(false);
    expect(isOwnComment(person, "pr-sentinel[bot]")).toBe(false);
    expect(isOwnComment(null, "pr-sentinel[bot]")).toBe(false);
  });

  it("falls back to any bot, never a person, without the login", () => {
    expect(isOwnComment(otherBot)).toBe(true);
    expect(isOwnComment(person)).toBe(false);
  });
});
