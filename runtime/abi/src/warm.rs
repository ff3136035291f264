//! The warm state's hash of a green key and its counter tables, which the
//! AOT code at a merge point and the runtime's metainterp must compute
//! alike (the AOT code counts cold keys itself and calls in only when a
//! key is hot or its slot has a loop).

/// Hash slots of the counter tables: `1 << COUNTER_BITS`.
pub const COUNTER_BITS: u32 = 14;
/// The multiplier of `hash_step`.
pub const HASH_MUL: u64 = 0x51_7c_c1_b7_27_22_0a_95;
/// The multiplier of `mix`.
pub const MIX_MUL: u64 = 0x9e37_79b9_7f4a_7c15;

/// One word into a multiply-rotate hash (as rustc's FxHash); a key's hash
/// folds its int greens in order from 0.
pub fn hash_step(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(HASH_MUL)
}

/// A key's hash mixed with its driver's number.
pub fn mix(driver: u32, h: u64) -> u64 {
    (h ^ (driver as u64).rotate_left(32)).wrapping_mul(MIX_MUL)
}

/// The counter slot of a key's hash: the top `COUNTER_BITS` of `mix`.
pub fn counter_slot(driver: u32, h: u64) -> usize {
    (mix(driver, h) >> (64 - COUNTER_BITS)) as usize
}
