use super::heap;
use crate::optimize::testutil::{calls, check};

#[test]
fn reuses_fields_until_an_aliased_store() {
    check(
        "[p0, p1, i2]
i3 = getfield_gc_i(p0, descr=<Field 8 i64>)
i4 = getfield_gc_i(p0, descr=<Field 8 i64>)
guard_true(i3, descr=<Guard 0>) [i4]
i5 = getfield_gc_i(p0, descr=<Field 8 i64>)
setfield_gc(p0, i2, descr=<Field 16 i64>)
i6 = getfield_gc_i(p0, descr=<Field 8 i64>)
setfield_gc(p1, i2, descr=<Field 8 i64>)
i7 = getfield_gc_i(p0, descr=<Field 8 i64>)
setfield_gc(p0, i2, descr=<Field 8 i64>)
i8 = getfield_gc_i(p0, descr=<Field 8 i64>)
finish(i3, i4, i5, i6, i7, i8)
",
        "[p0, p1, i2]
i3 = getfield_gc_i(p0, descr=<Field 8 i64>)
guard_true(i3, descr=<Guard 0>) [i3]
setfield_gc(p0, i2, descr=<Field 16 i64>)
setfield_gc(p1, i2, descr=<Field 8 i64>)
i7 = getfield_gc_i(p0, descr=<Field 8 i64>)
setfield_gc(p0, i2, descr=<Field 8 i64>)
finish(i3, i3, i3, i3, i7, i2)
",
        4,
        |t| heap(t, &calls()),
    );
}

#[test]
fn calls_that_write_the_heap_forget() {
    check(
        "[p0]
i1 = getfield_gc_i(p0, descr=<Field 8 i64>)
call_n(p0, descr=<Call 1>)
i2 = getfield_gc_i(p0, descr=<Field 8 i64>)
call_n(p0, descr=<Call 0>)
i3 = getfield_gc_i(p0, descr=<Field 8 i64>)
call_n(p0, descr=<Call 9>)
i4 = getfield_gc_i(p0, descr=<Field 8 i64>)
p5 = new(descr=<Size 3 24>)
i6 = getfield_gc_i(p0, descr=<Field 8 i64>)
finish(i1, i2, i3, i4, i6)
",
        "[p0]
i1 = getfield_gc_i(p0, descr=<Field 8 i64>)
call_n(p0, descr=<Call 1>)
call_n(p0, descr=<Call 0>)
i3 = getfield_gc_i(p0, descr=<Field 8 i64>)
call_n(p0, descr=<Call 9>)
i4 = getfield_gc_i(p0, descr=<Field 8 i64>)
p5 = new(descr=<Size 3 24>)
finish(i1, i1, i3, i4, i4)
",
        2,
        |t| heap(t, &calls()),
    );
}

#[test]
fn fresh_objects_and_constants_do_not_alias() {
    check(
        "[p0, i1]
p2 = new(descr=<Size 3 24>)
setfield_gc(p2, 5, descr=<Field 8 i64>)
setfield_gc(p0, i1, descr=<Field 8 i64>)
i3 = getfield_gc_i(p2, descr=<Field 8 i64>)
i4 = getfield_gc_i(ConstPtr(ptr0), descr=<Field 8 i64>)
setfield_gc(ConstPtr(ptr1), 7, descr=<Field 8 i64>)
i5 = getfield_gc_i(ConstPtr(ptr0), descr=<Field 8 i64>)
i6 = getfield_gc_i(p0, descr=<Field 8 i64>)
i7 = getfield_gc_i(p2, descr=<Field 8 i64>)
finish(i3, i4, i5, i6, i7)
",
        "[p0, i1]
p2 = new(descr=<Size 3 24>)
setfield_gc(p2, 5, descr=<Field 8 i64>)
setfield_gc(p0, i1, descr=<Field 8 i64>)
i4 = getfield_gc_i(ConstPtr(ptr0), descr=<Field 8 i64>)
setfield_gc(ConstPtr(ptr1), 7, descr=<Field 8 i64>)
i6 = getfield_gc_i(p0, descr=<Field 8 i64>)
finish(5, i4, i4, i6, 5)
",
        3,
        |t| heap(t, &calls()),
    );
}

#[test]
fn narrow_stores_are_remembered_only_when_normalised() {
    check(
        "[p0, i1]
setfield_gc(p0, i1, descr=<Field 8 u8>)
i2 = getfield_gc_i(p0, descr=<Field 8 u8>)
i3 = int_and(i1, 255)
setfield_gc(p0, i3, descr=<Field 8 u8>)
i4 = getfield_gc_i(p0, descr=<Field 8 u8>)
setfield_gc(p0, 300, descr=<Field 8 u8>)
i5 = getfield_gc_i(p0, descr=<Field 8 u8>)
setfield_gc(p0, i1, descr=<Field 9 u8>)
i6 = getfield_gc_i(p0, descr=<Field 8 u8>)
setfield_gc(p0, i1, descr=<Field 8 u16>)
i7 = getfield_gc_i(p0, descr=<Field 8 u8>)
finish(i2, i4, i5, i6, i7)
",
        "[p0, i1]
setfield_gc(p0, i1, descr=<Field 8 u8>)
i2 = getfield_gc_i(p0, descr=<Field 8 u8>)
i3 = int_and(i1, 255)
setfield_gc(p0, i3, descr=<Field 8 u8>)
setfield_gc(p0, 300, descr=<Field 8 u8>)
setfield_gc(p0, i1, descr=<Field 9 u8>)
setfield_gc(p0, i1, descr=<Field 8 u16>)
i7 = getfield_gc_i(p0, descr=<Field 8 u8>)
finish(i2, i3, 44, 44, i7)
",
        3,
        |t| heap(t, &calls()),
    );
}

#[test]
fn array_items_by_index() {
    check(
        "[p0, p1, i2]
i3 = getarrayitem_gc_i(p0, i2, descr=<Array i64>)
i4 = getarrayitem_gc_i(p0, i2, descr=<Array i64>)
setarrayitem_gc(p0, 5, 1, descr=<Array i64>)
i5 = getarrayitem_gc_i(p0, i2, descr=<Array i64>)
i6 = getarrayitem_gc_i(p0, 3, descr=<Array i64>)
setarrayitem_gc(p0, 4, i5, descr=<Array i64>)
i7 = getarrayitem_gc_i(p0, 3, descr=<Array i64>)
i8 = getarrayitem_gc_i(p0, 4, descr=<Array i64>)
setarrayitem_gc(p1, 3, 0, descr=<Array i64>)
i9 = getarrayitem_gc_i(p0, 3, descr=<Array i64>)
i10 = getarrayitem_gc_i(p1, 3, descr=<Array i64>)
finish(i3, i4, i5, i6, i7, i8, i9, i10)
",
        "[p0, p1, i2]
i3 = getarrayitem_gc_i(p0, i2, descr=<Array i64>)
setarrayitem_gc(p0, 5, 1, descr=<Array i64>)
i5 = getarrayitem_gc_i(p0, i2, descr=<Array i64>)
i6 = getarrayitem_gc_i(p0, 3, descr=<Array i64>)
setarrayitem_gc(p0, 4, i5, descr=<Array i64>)
setarrayitem_gc(p1, 3, 0, descr=<Array i64>)
i9 = getarrayitem_gc_i(p0, 3, descr=<Array i64>)
finish(i3, i3, i5, i6, i6, i5, i9, 0)
",
        4,
        |t| heap(t, &calls()),
    );
}

#[test]
fn labels_forget() {
    let text = "[p0]
i1 = getfield_gc_i(p0, descr=<Field 8 i64>)
label(p0, i1)
i2 = getfield_gc_i(p0, descr=<Field 8 i64>)
jump(p0, i2)
";
    check(text, text, 0, |t| heap(t, &calls()));
}

#[test]
fn a_store_at_index_plus_one_keeps_the_item_at_index() {
    let text = "[p0, i1, i2]
setarrayitem_gc(p0, i1, i2, descr=<Array i64>)
i3 = int_add(i1, 1)
setarrayitem_gc(p0, i3, 7, descr=<Array i64>)
i4 = getarrayitem_gc_i(p0, i1, descr=<Array i64>)
i5 = getarrayitem_gc_i(p0, i3, descr=<Array i64>)
finish(i4, i5)
";
    let want = "[p0, i1, i2]
setarrayitem_gc(p0, i1, i2, descr=<Array i64>)
i3 = int_add(i1, 1)
setarrayitem_gc(p0, i3, 7, descr=<Array i64>)
finish(i2, 7)
";
    check(text, want, 2, |t| heap(t, &[]));
}
