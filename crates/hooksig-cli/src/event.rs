//! Realistic test events for `hooksig send`: plausible default fields per
//! event type, fresh random ids and idempotencyKey, and `KEY=VALUE` overrides.
//!
//! This builds the *parameters* only; the body is signed and encoded by the
//! core (`hooksig::encode_form`), which decides what is signed and how.

use crate::cli::EventType;
use std::time::{SystemTime, UNIX_EPOCH};

impl EventType {
    /// The `event` field's value.
    pub fn name(self) -> &'static str {
        match self {
            EventType::Deposit => "DEPOSIT",
            EventType::WithdrawRequest => "WITHDRAW_REQUEST",
            EventType::WithdrawComplete => "WITHDRAW_COMPLETE",
        }
    }
}

/// An event's fields, in the order they are built (the core orders the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event(pub Vec<(String, String)>);

impl Event {
    /// The default fields of `kind`, with fresh random ids, a fresh
    /// `idempotencyKey` (UUID v4) and, where it applies, `completedAt` = now.
    /// Fails only if the OS has no random numbers to give.
    pub fn new(kind: EventType) -> Result<Event, getrandom::Error> {
        Ok(Event::with(kind, &Fresh::random()?))
    }

    /// The default fields of `kind` with the given fresh values (tests pass fixed ones).
    fn with(kind: EventType, fresh: &Fresh) -> Event {
        let mut f: Vec<(&str, String)> = vec![("event", kind.name().to_owned())];
        let id = &fresh.id;
        match kind {
            EventType::Deposit => f.extend([
                ("depositId", format!("dep_{id}")),
                ("externalUserId", "user-1187".to_owned()),
                ("fiatAmount", "250.00".to_owned()),
                ("fiatCurrency", "USD".to_owned()),
                ("cryptoAmount", "0.00391".to_owned()),
                ("cryptoCurrency", "BTC".to_owned()),
                ("network", "bitcoin".to_owned()),
                ("txHash", fresh.tx_hash.clone()),
            ]),
            EventType::WithdrawRequest => f.extend([
                ("withdrawRequestId", format!("wr_{id}")),
                ("externalUserId", "user-1187".to_owned()),
                ("fiatAmount", "120.00".to_owned()),
                ("fiatCurrency", "EUR".to_owned()),
                ("cryptoAmount", "0.00187".to_owned()),
                ("cryptoCurrency", "BTC".to_owned()),
                (
                    "address",
                    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq".to_owned(),
                ),
                ("network", "bitcoin".to_owned()),
            ]),
            EventType::WithdrawComplete => f.extend([
                ("withdrawRequestId", format!("wr_{id}")),
                ("externalUserId", "user-1187".to_owned()),
                ("fiatAmount", "120.00".to_owned()),
                ("fiatCurrency", "EUR".to_owned()),
                ("status", "COMPLETED".to_owned()),
                ("txHash", fresh.tx_hash.clone()),
                ("completedAt", fresh.now.clone()),
            ]),
        }
        f.push(("idempotencyKey", fresh.idempotency_key.clone()));
        Event(f.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// Sets `key` to `value`: replaces the field with that exact key (keeping its
    /// place), or appends a new field.
    pub fn set(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(field) => value.clone_into(&mut field.1),
            None => self.0.push((key.to_owned(), value.to_owned())),
        }
    }

    /// The value of the field `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The values that differ on every run.
struct Fresh {
    /// A short random id suffix (12 lowercase hex digits).
    id: String,
    /// A random 64-hex-digit transaction hash.
    tx_hash: String,
    /// A UUID v4.
    idempotency_key: String,
    /// Now, as JavaScript's `Date.prototype.toISOString()` prints it.
    now: String,
}

impl Fresh {
    fn random() -> Result<Fresh, getrandom::Error> {
        let mut bytes = [0u8; 54];
        getrandom::fill(&mut bytes)?;
        let (id, rest) = bytes.split_at(6);
        let (tx, key) = rest.split_at(32);
        let mut key: [u8; 16] = key.try_into().unwrap_or_default();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Ok(Fresh {
            id: hex(id),
            tx_hash: hex(tx),
            idempotency_key: uuid_v4(&mut key),
            now: iso_time(u64::try_from(now).unwrap_or(u64::MAX)),
        })
    }
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 16 random bytes as a version 4 (random), RFC 9562 variant UUID in its
/// hyphenated lowercase form: the version nibble becomes 4 and the variant
/// bits 10.
fn uuid_v4(bytes: &mut [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), like
/// `Date.prototype.toISOString()` for years 0000..=9999.
pub fn iso_time(millis: u64) -> String {
    let secs = millis / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        millis % 1000
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed() -> Fresh {
        Fresh {
            id: "0123456789ab".into(),
            tx_hash: "ab".repeat(32),
            idempotency_key: "3b2f6a1c-8d4e-4f7a-9c2b-5e1d0a7f6c38".into(),
            now: "2026-12-03T18:04:11.000Z".into(),
        }
    }

    fn keys(e: &Event) -> Vec<&str> {
        e.0.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn each_type_has_its_fields() {
        let d = Event::with(EventType::Deposit, &fixed());
        assert_eq!(
            keys(&d),
            [
                "event",
                "depositId",
                "externalUserId",
                "fiatAmount",
                "fiatCurrency",
                "cryptoAmount",
                "cryptoCurrency",
                "network",
                "txHash",
                "idempotencyKey"
            ]
        );
        assert_eq!(d.get("event"), Some("DEPOSIT"));
        assert_eq!(d.get("depositId"), Some("dep_0123456789ab"));
        let r = Event::with(EventType::WithdrawRequest, &fixed());
        assert_eq!(r.get("event"), Some("WITHDRAW_REQUEST"));
        assert_eq!(r.get("withdrawRequestId"), Some("wr_0123456789ab"));
        assert!(r.get("address").is_some());
        let c = Event::with(EventType::WithdrawComplete, &fixed());
        assert_eq!(c.get("event"), Some("WITHDRAW_COMPLETE"));
        assert_eq!(c.get("completedAt"), Some("2026-12-03T18:04:11.000Z"));
        assert_eq!(c.get("status"), Some("COMPLETED"));
        // Issue 6: ids, externalUserId, fiatAmount and idempotencyKey for each type.
        for (e, id) in [
            (d, "depositId"),
            (r, "withdrawRequestId"),
            (c, "withdrawRequestId"),
        ] {
            assert!(e.get(id).is_some(), "{e:?}");
            assert_eq!(e.get("externalUserId"), Some("user-1187"));
            assert!(e.get("fiatAmount").is_some(), "{e:?}");
            assert!(e.get("fiatCurrency").is_some(), "{e:?}");
            assert_eq!(
                e.get("idempotencyKey"),
                Some("3b2f6a1c-8d4e-4f7a-9c2b-5e1d0a7f6c38")
            );
        }
    }

    #[test]
    fn set_replaces_in_place_or_appends() {
        let mut e = Event::with(EventType::Deposit, &fixed());
        let n = e.0.len();
        e.set("fiatAmount", "10.00");
        e.set("note", "a b&c");
        assert_eq!(e.0[3], ("fiatAmount".into(), "10.00".into()));
        assert_eq!(e.0.len(), n + 1);
        assert_eq!(e.get("note"), Some("a b&c"));
    }

    #[test]
    fn uuid_v4_sets_the_version_and_variant() {
        assert_eq!(
            uuid_v4(&mut [0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
        assert_eq!(
            uuid_v4(&mut [0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        let mut bytes: [u8; 16] = core::array::from_fn(|i| (i as u8) * 17);
        assert_eq!(uuid_v4(&mut bytes), "00112233-4455-4677-8899-aabbccddeeff");
    }

    #[test]
    fn random_values_are_fresh_and_well_formed() {
        let a = Event::new(EventType::Deposit).unwrap();
        let b = Event::new(EventType::Deposit).unwrap();
        let key = a.get("idempotencyKey").unwrap();
        assert_ne!(Some(key), b.get("idempotencyKey"));
        let k = key.as_bytes();
        assert_eq!(k.len(), 36, "{key}");
        assert_eq!(
            (k[8], k[13], k[14], k[18], k[23]),
            (b'-', b'-', b'4', b'-', b'-'),
            "{key}"
        );
        assert!(matches!(k[19], b'8' | b'9' | b'a' | b'b'), "{key}");
        assert!(
            key.bytes()
                .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        let tx = a.get("txHash").unwrap();
        assert_eq!(tx.len(), 64);
        assert!(
            tx.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_eq!(a.get("depositId").map(str::len), Some(4 + 12));
        assert_ne!(a.get("depositId"), b.get("depositId"));
    }

    #[test]
    fn iso_time_matches_javascript() {
        // Checked with Node: new Date(ms).toISOString(); 2000-02-29 is a leap day, 2100 is not a leap year.
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_time(1_796_320_651_123), "2026-12-03T17:57:31.123Z");
        assert_eq!(iso_time(4_107_542_399_999), "2100-02-28T23:59:59.999Z");
        assert_eq!(iso_time(4_107_542_400_000), "2100-03-01T00:00:00.000Z");
    }
}
