import { describe, expect, it } from "vitest";
import { DEFAULT_WARM_POOL_SIZING, decideWarmPoolTarget } from "./warm-pool-target.js";

const sizing = DEFAULT_WARM_POOL_SIZING;

describe("decideWarmPoolTarget", () => {
  it("sets the prepared capacity to the peak + headroom: the pool holds that minus desired", () => {
    expect(decideWarmPoolTarget({ desired: 1, max: 12, peak: 4, sizing })).toMatchObject({
      maxPreparedCapacity: 6,
      poolSize: 5,
    });
    // A scale-out to 3 takes from the pool without changing the setting (no refill).
    expect(decideWarmPoolTarget({ desired: 3, max: 12, peak: 4, sizing })).toMatchObject({
      maxPreparedCapacity: 6,
      poolSize: 3,
    });
  });

  it("follows a desired count above the recorded peak, within the group's max", () => {
    expect(decideWarmPoolTarget({ desired: 5, max: 12, peak: 4, sizing })).toMatchObject({
      maxPreparedCapacity: 7,
      poolSize: 2,
    });
    const capped = decideWarmPoolTarget({ desired: 11, max: 12, peak: 11, sizing });
    expect(capped).toMatchObject({ maxPreparedCapacity: 12, poolSize: 1 });
    expect(capped.reason).toMatch(/capped at max 12 = 12, so 1 kept warm$/);
  });

  it("keeps AWS's default while the peak is unknown", () => {
    const target = decideWarmPoolTarget({ desired: 2, max: 12, peak: null, sizing });
    expect(target).toMatchObject({ maxPreparedCapacity: null, poolSize: 10 });
    expect(target.reason).toBe("no 1d of history yet: AWS's default pool (MaxSize 12 - desired 2)");
  });

  it("keeps nothing beyond the peak with no headroom", () => {
    expect(
      decideWarmPoolTarget({ desired: 2, max: 12, peak: 2, sizing: { ...sizing, headroom: 0 } }),
    ).toMatchObject({ maxPreparedCapacity: 2, poolSize: 0 });
  });
});
