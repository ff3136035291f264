//! Header flags (the high 32 bits of the header word). Bits 32..=34 are the
//! ABI's (`rtyper/src/lltype.rs`); 35..=47 belong to the collector.

/// `lltype::FLAG_PREBUILT`: in the executable's data, never moved or freed.
pub const FLAG_PREBUILT: u64 = 1 << 32;
/// `lltype::FLAG_TRACK_YOUNG_PTRS`: old (or prebuilt) and not remembered:
/// a reference store must call the write barrier first.
pub const FLAG_TRACK_YOUNG_PTRS: u64 = 1 << 33;
/// `lltype::FLAG_HAS_CARDS`: a large reference array with a card table
/// (one byte per `CARD_ITEMS` items, card `i` at `array - 1 - i`).
pub const FLAG_HAS_CARDS: u64 = 1 << 34;
/// A nursery object already copied; word 1 holds the copy.
pub const FLAG_FORWARDED: u64 = 1 << 35;
/// Marked by a major collection (or a surviving young large object during
/// a minor one).
pub const FLAG_VISITED: u64 = 1 << 36;
/// A nursery object whose identity hash (its address) was taken.
pub const FLAG_HASH_TAKEN: u64 = 1 << 37;
/// The identity hash is stored in the word after the object's contents.
pub const FLAG_HAS_HASH_FIELD: u64 = 1 << 38;
/// A large object allocated since the last minor collection.
pub const FLAG_YOUNG_LARGE: u64 = 1 << 39;
/// A card-marked array with dirty cards, listed for the next minor.
pub const FLAG_CARDS_SET: u64 = 1 << 40;
/// A free slot of an old-generation page (word 1 links the next one).
pub const FLAG_FREE: u64 = 1 << 41;
