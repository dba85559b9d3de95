//! One case per known way this family of signatures goes wrong, each pinned to
//! the value the reference JavaScript computes (Node 20, ICU 78; the snippet is
//! the protocol's Quick Start canonicalization + `createHash('md5')`).

#![cfg(feature = "unicode")]

use hooksig::{FormOptions, Value};

const SECRET: &str = "op_secret_4f9a";

fn check(params: &[(&str, Value)], canonical: &str, hash: &str) {
    assert_eq!(hooksig::canonical(params).unwrap(), canonical);
    assert_eq!(hooksig::sign(params, SECRET).unwrap().as_str(), hash);
}

fn s(v: &str) -> Value<'_> {
    Value::Str(v)
}

#[test]
fn case_is_not_folded_first_nor_sorted_by_code_point() {
    // Code-point order would give A, B, _id, a, b; lowercasing first would tie a/A.
    let p = [
        ("b", s("1")),
        ("A", s("2")),
        ("a", s("3")),
        ("B", s("4")),
        ("_id", s("5")),
    ];
    check(
        &p,
        "_id=5&a=3&A=2&b=1&B=4",
        "7df043b1fe2b05b4b38742310ad7f314",
    );
}

#[test]
fn underscore_hyphen_dot_digits_letters() {
    let p = [
        ("a-b", s("1")),
        ("a_b", s("2")),
        ("ab", s("3")),
        ("a.b", s("4")),
        ("a1", s("5")),
        ("aB", s("6")),
        ("a b", s("7")),
    ];
    check(
        &p,
        "a b=7&a_b=2&a-b=1&a.b=4&a1=5&ab=3&aB=6",
        "e1b8f4c1e97e5537f14639a0402520cd",
    );
}

#[test]
fn no_host_locale_tailoring() {
    // da would put `aa` after `z`, cs/sk `ch` after `h`, lt `y` next to `i`,
    // tr would split dotted/dotless i. Root collation does none of that.
    let p = [
        ("aa", s("1")),
        ("ab", s("2")),
        ("z", s("3")),
        ("ch", s("4")),
        ("ca", s("5")),
        ("cz", s("6")),
        ("h", s("7")),
        ("i", s("8")),
        ("y", s("9")),
        ("k", s("10")),
        ("ı", s("11")),
        ("İ", s("12")),
    ];
    check(
        &p,
        "aa=1&ab=2&ca=5&ch=4&cz=6&h=7&i=8&İ=12&ı=11&k=10&y=9&z=3",
        "9aea984815fe4fd827b407a15917233e",
    );
}

#[test]
fn non_ascii_is_hashed_as_utf8_not_latin1() {
    let p = [("name", s("Zoë Ångström")), ("city", s("Köln"))];
    check(
        &p,
        "city=Köln&name=Zoë Ångström",
        "f0e3be99a2b5f5656a294051f9844e2a",
    );
    // What a Latin-1 encoder would produce instead:
    assert_ne!(
        hooksig::sign(&p, SECRET).unwrap().as_str(),
        "aa8b7756eee1826bd7c74e7d2ac6cbeb"
    );
}

#[test]
fn floats_print_like_javascript() {
    let p = [
        ("a", Value::Float(10.0)), // not "10.0"
        ("b", Value::Float(1e-7)), // not "1e-07"
        ("c", Value::Float(1e21)), // not "1e21"
        ("d", Value::Float(0.1 + 0.2)),
        ("e", Value::Float(-0.0)), // not "-0"
        ("f", Value::Float(100.50)),
    ];
    check(
        &p,
        "a=10&b=1e-7&c=1e+21&d=0.30000000000000004&e=0&f=100.5",
        "5814e756688b35b89ce0059d7cb54d52",
    );
}

#[test]
fn booleans_are_lowercase() {
    check(
        &[("a", Value::Bool(true)), ("b", Value::Bool(false))],
        "a=true&b=false",
        "63595dc4ba0136696fc7ae9889fd33bf",
    );
}

#[test]
fn zero_false_and_space_are_not_dropped_as_falsy() {
    let p = [
        ("a", Value::Int(0)),
        ("b", s("0")),
        ("c", Value::Bool(false)),
        ("d", s(" ")),
    ];
    check(
        &p,
        "a=0&b=0&c=false&d= ",
        "656b6711d5768470c413ab138200028d",
    );
}

#[test]
fn plus_is_space_and_percent_2b_is_plus() {
    let hash = "7144d88bd733e28d94cdde208b0509eb";
    let p = [
        ("event", s("DEPOSIT")),
        ("depositId", s("dep_1")),
        ("fiatAmount", s("10.00")),
        ("externalUserId", s("u 1+2")),
    ];
    check(
        &p,
        "depositId=dep_1&event=DEPOSIT&externalUserId=u 1+2&fiatAmount=10.00",
        hash,
    );
    let good = format!(
        "event=DEPOSIT&depositId=dep_1&fiatAmount=10.00&externalUserId=u+1%2B2&hash={hash}"
    );
    assert!(hooksig::verify_form(&good, SECRET).is_ok());
    let also_good = format!(
        "event=DEPOSIT&depositId=dep_1&fiatAmount=10.00&externalUserId=u%201%2b2&hash={hash}"
    );
    assert!(hooksig::verify_form(&also_good, SECRET).is_ok());
    // Treating `+` as a literal plus is the bug: here the sender meant "u 1 2".
    let literal = format!(
        "event=DEPOSIT&depositId=dep_1&fiatAmount=10.00&externalUserId=u%201+2&hash={hash}"
    );
    assert_eq!(
        hooksig::verify_form(&literal, SECRET)
            .unwrap_err()
            .kind()
            .name(),
        "mismatch"
    );
    // The sender side writes a space as `+` and a plus as `%2B`.
    assert!(
        hooksig::encode_form(&p, SECRET)
            .unwrap()
            .contains("externalUserId=u+1%2B2")
    );
}

#[test]
fn values_are_decoded_exactly_once() {
    let p = [("a", s("%20")), ("b", s("100%"))];
    check(&p, "a=%20&b=100%", "eba32558b94848051dbcb8324f227603");
    let body = hooksig::encode_form(&p, SECRET).unwrap();
    assert_eq!(
        body,
        "a=%2520&b=100%25&hash=eba32558b94848051dbcb8324f227603"
    );
    let fields = hooksig::verify_form(&body, SECRET).unwrap();
    assert_eq!(
        fields,
        [("a".into(), "%20".into()), ("b".into(), "100%".into())]
    );
}

#[test]
fn the_secret_is_used_byte_for_byte() {
    let p = [
        ("event", s("DEPOSIT")),
        ("depositId", s("dep_1")),
        ("fiatAmount", s("10.00")),
        ("externalUserId", s("u 1+2")),
    ];
    assert_eq!(
        hooksig::sign(&p, "abc\n").unwrap().as_str(),
        "75b8fdcc9b7e43805b4ca0a506b87948"
    );
    assert_eq!(
        hooksig::sign(&p, "abc").unwrap().as_str(),
        "64337f7a229f19ebad172233d85700c0"
    );
}

#[test]
fn uppercase_hex_is_malformed_not_compared_case_insensitively() {
    let body = "event=DEPOSIT&depositId=dep_1&fiatAmount=10.00&externalUserId=u+1%2B2&hash=7144D88BD733E28D94CDDE208B0509EB";
    let err = hooksig::verify_form(body, SECRET).unwrap_err();
    assert_eq!(err.kind().name(), "malformed-hash");
}

#[test]
fn ampersand_and_equals_inside_values_are_ambiguous() {
    // Values are not escaped in the signed string, so these two different
    // parameter sets sign identically: the Security section warns about it.
    let one = [("a", s("1&b=2")), ("c", s("x=y"))];
    let two = [("a", s("1")), ("b", s("2")), ("c", s("x=y"))];
    check(&one, "a=1&b=2&c=x=y", "ee6c758171c46615d314604d00ee1a1f");
    check(&two, "a=1&b=2&c=x=y", "ee6c758171c46615d314604d00ee1a1f");
    // On the wire they stay distinct and each round-trips.
    let body = hooksig::encode_form(&one, SECRET).unwrap();
    assert!(body.starts_with("a=1%26b%3D2&c=x%3Dy&hash="));
    let v = hooksig::verify_form_with(body.as_bytes(), &[SECRET], &FormOptions::new()).unwrap();
    assert_eq!(v.fields.len(), 2);
}
