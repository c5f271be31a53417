//! Prices and discounts (R8): the online discount never adds up with a discount card, a
//! certificate or a promotion, and never applies to complex programs. At most one discount
//! applies, and the quote says which one and why.

use serde::Serialize;

/// An amount in kopecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Money(pub i64);

impl Money {
    /// An amount of whole rubles.
    pub fn rubles(rubles: i64) -> Self {
        Self(rubles * 100)
    }

    /// `1 234 ₽` or `1 234,50 ₽`, grouped as Russian texts write it (narrow no-break spaces).
    pub fn display(self) -> String {
        let rubles = self.0 / 100;
        let kopecks = self.0 % 100;
        let digits = rubles.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        if kopecks == 0 {
            format!("{grouped}\u{a0}₽")
        } else {
            format!("{grouped},{kopecks:02}\u{a0}₽")
        }
    }
}

/// The kinds of discount a clinic offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKind {
    /// For booking online, shown in the specialists section.
    Online,
    /// A personal discount card.
    Card,
    /// A discount certificate.
    Certificate,
    /// A special promotion.
    Promotion,
}

/// A discount the patient could get, before the rules pick one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Discount {
    /// What kind of discount it is.
    pub kind: DiscountKind,
    /// Its size, in percent (0–100).
    pub percent: u8,
}

/// Why a quote has the discount it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceNote {
    /// No discount was offered.
    NoDiscount,
    /// One discount applies; others offered, if any, do not add up with it.
    Applied,
    /// A complex program: the online discount does not apply to it.
    ComplexProgram,
}

/// What a service costs for one patient, with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The price-list price.
    pub base: Money,
    /// What the patient pays.
    pub price: Money,
    /// The one discount applied, if any.
    pub applied: Option<Discount>,
    /// Why.
    pub note: PriceNote,
}

/// Prices a service: of the discounts offered, the largest one that may apply is taken, and
/// only that one (discounts do not add up). Complex programs take no online discount. Prices
/// with a discount are rounded to whole rubles, half up.
pub fn quote(base: Money, complex: bool, offered: &[Discount]) -> Quote {
    let eligible = offered
        .iter()
        .filter(|d| d.percent > 0 && d.percent <= 100)
        .filter(|d| !(complex && d.kind == DiscountKind::Online));
    let best = eligible.max_by_key(|d| d.percent).copied();
    let note = match best {
        Some(_) => PriceNote::Applied,
        None if complex && offered.iter().any(|d| d.kind == DiscountKind::Online) => {
            PriceNote::ComplexProgram
        }
        None => PriceNote::NoDiscount,
    };
    let price = match best {
        Some(d) => {
            let discounted = base.0 * i64::from(100 - d.percent) / 100;
            Money((discounted + 50) / 100 * 100)
        }
        None => base,
    };
    Quote { base, price, applied: best, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONLINE_10: Discount = Discount { kind: DiscountKind::Online, percent: 10 };
    const CARD_5: Discount = Discount { kind: DiscountKind::Card, percent: 5 };
    const PROMO_20: Discount = Discount { kind: DiscountKind::Promotion, percent: 20 };

    #[test]
    fn the_online_discount_lowers_a_consultation() {
        let q = quote(Money::rubles(2900), false, &[ONLINE_10]);
        assert_eq!(q.price, Money::rubles(2610));
        assert_eq!(q.applied, Some(ONLINE_10));
    }

    #[test]
    fn discounts_never_add_up_the_largest_one_wins() {
        let q = quote(Money::rubles(1000), false, &[ONLINE_10, CARD_5, PROMO_20]);
        assert_eq!(q.price, Money::rubles(800), "20 %, not 35 %");
        assert_eq!(q.applied, Some(PROMO_20));
        let q = quote(Money::rubles(1000), false, &[ONLINE_10, CARD_5]);
        assert_eq!(q.applied, Some(ONLINE_10));
    }

    #[test]
    fn complex_programs_take_no_online_discount() {
        let q = quote(Money::rubles(15000), true, &[ONLINE_10]);
        assert_eq!(q.price, Money::rubles(15000));
        assert_eq!(q.note, PriceNote::ComplexProgram);
        let q = quote(Money::rubles(15000), true, &[ONLINE_10, CARD_5]);
        assert_eq!(q.applied, Some(CARD_5), "a card still applies to a program");
    }

    #[test]
    fn prices_round_to_whole_rubles_and_print_grouped() {
        assert_eq!(quote(Money::rubles(1850), false, &[ONLINE_10]).price, Money::rubles(1665));
        assert_eq!(quote(Money::rubles(1855), false, &[ONLINE_10]).price, Money::rubles(1670));
        assert_eq!(Money::rubles(12500).display(), "12\u{202f}500\u{a0}₽");
        assert_eq!(Money(99950).display(), "999,50\u{a0}₽");
    }
}
