//! Prices and discounts (R8, C5): the online discount never adds up with a discount card, a
//! certificate or a promotion, and never applies to complex programs. At most one discount
//! applies (the one that saves the patient most), and the quote says which one and why.

use serde::Serialize;

use crate::lang::Lang;
use crate::stored::stored_text;

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

    /// Rubles as a JSON number: `2610` or `2610.5`.
    pub fn as_rubles(self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "prices are far below 2^53 kopecks")]
        let rubles = self.0 as f64 / 100.0;
        rubles
    }
}

stored_text! {
    /// The kinds of discount a clinic offers, as a visit stores the one it got.
    pub enum DiscountKind {
        /// For booking online, shown in the specialists section.
        Online = "online",
        /// A personal discount card.
        Card = "card",
        /// A discount certificate.
        Certificate = "certificate",
        /// A special promotion.
        Promotion = "promotion",
    }
}

/// How much a discount takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountSize {
    /// A share of the price, in percent (0–100); the price is rounded to whole rubles.
    Percent(u8),
    /// A sum (a certificate's amount or what is left on it), never more than the price.
    Amount(Money),
}

impl DiscountSize {
    /// `15 %` or `1 000 ₽`.
    pub fn display(self) -> String {
        match self {
            Self::Percent(percent) => format!("{percent}\u{a0}%"),
            Self::Amount(amount) => amount.display(),
        }
    }
}

/// A discount the patient could get, before the rules pick one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Discount {
    /// What kind of discount it is.
    pub kind: DiscountKind,
    /// Its size.
    pub size: DiscountSize,
}

impl Discount {
    /// A discount of `percent` percent.
    pub const fn percent(kind: DiscountKind, percent: u8) -> Self {
        Self { kind, size: DiscountSize::Percent(percent) }
    }

    /// What is left to pay of `base` with this discount: never below zero, percentages
    /// rounded to whole rubles, half up.
    pub fn apply(self, base: Money) -> Money {
        let base = base.0.max(0);
        match self.size {
            DiscountSize::Percent(percent) => {
                let percent = i64::from(percent.min(100));
                let discounted = base * (100 - percent) / 100;
                Money(((discounted + 50) / 100 * 100).min(base))
            }
            DiscountSize::Amount(amount) => Money((base - amount.0.max(0)).max(0)),
        }
    }

    /// Its percent, for a discount of a share of the price (0 for a sum).
    pub fn percent_value(self) -> u8 {
        match self.size {
            DiscountSize::Percent(percent) => percent,
            DiscountSize::Amount(_) => 0,
        }
    }

    /// Whether the discount takes anything off at all.
    fn is_real(self) -> bool {
        match self.size {
            DiscountSize::Percent(percent) => (1..=100).contains(&percent),
            DiscountSize::Amount(amount) => amount.0 > 0,
        }
    }
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
    /// The best of the other discounts offered, which does not add up with the applied one.
    pub passed_over: Option<Discount>,
    /// Why.
    pub note: PriceNote,
}

/// When two discounts save the same, the one that spends nothing wins: the online discount,
/// then a promotion, a card, and last a certificate (which would be used up).
fn keeps_more(kind: DiscountKind) -> u8 {
    match kind {
        DiscountKind::Online => 3,
        DiscountKind::Promotion => 2,
        DiscountKind::Card => 1,
        DiscountKind::Certificate => 0,
    }
}

/// Prices a service: of the discounts offered, the one that leaves the patient the least to
/// pay is taken, and only that one (discounts do not add up). Complex programs take no online
/// discount. The price never goes below zero.
pub fn quote(base: Money, complex: bool, offered: &[Discount]) -> Quote {
    let mut eligible: Vec<Discount> = offered
        .iter()
        .copied()
        .filter(|d| d.is_real())
        .filter(|d| !(complex && d.kind == DiscountKind::Online))
        .collect();
    eligible.sort_by_key(|d| (d.apply(base), std::cmp::Reverse(keeps_more(d.kind))));
    let applied = eligible.first().copied();
    let passed_over = eligible.get(1).copied();
    let note = match applied {
        Some(_) => PriceNote::Applied,
        None if complex && offered.iter().any(|d| d.kind == DiscountKind::Online) => {
            PriceNote::ComplexProgram
        }
        None => PriceNote::NoDiscount,
    };
    let price = applied.map_or(base, |d| d.apply(base));
    Quote { base, price, applied, passed_over, note }
}

impl Quote {
    /// What the patient is told about the discount, in `lang`: «скидка за онлайн-запись 10 %
    /// не суммируется с дисконтной картой; применена карта: 15 %». None without a discount.
    pub fn reason(&self, lang: Lang) -> Option<String> {
        let Some(applied) = self.applied else {
            return (self.note == PriceNote::ComplexProgram).then(|| {
                match lang {
                    Lang::Ru => "скидка за онлайн-запись не действует на комплексные программы",
                    Lang::En => "the online booking discount does not apply to complex programs",
                }
                .to_owned()
            });
        };
        let chosen = format!("{}: {}", applied_name(applied.kind, lang), applied.size.display());
        Some(match (self.passed_over, lang) {
            (None, _) => chosen,
            (Some(other), Lang::Ru) => format!(
                "{} {} не суммируется с {}; {} {chosen}",
                offered_name(other.kind, Lang::Ru),
                other.size.display(),
                instrumental(applied.kind),
                if applied.kind == DiscountKind::Certificate {
                    "применён"
                } else {
                    "применена"
                },
            ),
            (Some(other), Lang::En) => format!(
                "{} {} does not add up with {}; applied: {chosen}",
                offered_name(other.kind, Lang::En),
                other.size.display(),
                applied_name(applied.kind, Lang::En).to_lowercase(),
            ),
        })
    }
}

/// «карта», as in «применена карта: 15 %».
fn applied_name(kind: DiscountKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (DiscountKind::Online, Lang::Ru) => "скидка за онлайн-запись",
        (DiscountKind::Card, Lang::Ru) => "дисконтная карта",
        (DiscountKind::Certificate, Lang::Ru) => "сертификат",
        (DiscountKind::Promotion, Lang::Ru) => "акция",
        (DiscountKind::Online, Lang::En) => "Online booking discount",
        (DiscountKind::Card, Lang::En) => "Discount card",
        (DiscountKind::Certificate, Lang::En) => "Certificate",
        (DiscountKind::Promotion, Lang::En) => "Promotion",
    }
}

/// «скидка за онлайн-запись», as the subject of «… не суммируется с …».
fn offered_name(kind: DiscountKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (DiscountKind::Online, Lang::Ru) => "скидка за онлайн-запись",
        (DiscountKind::Card, Lang::Ru) => "скидка по дисконтной карте",
        (DiscountKind::Certificate, Lang::Ru) => "сертификат",
        (DiscountKind::Promotion, Lang::Ru) => "скидка по акции",
        (DiscountKind::Online, Lang::En) => "The online booking discount",
        (DiscountKind::Card, Lang::En) => "The discount card",
        (DiscountKind::Certificate, Lang::En) => "The certificate",
        (DiscountKind::Promotion, Lang::En) => "The promotion",
    }
}

/// «с дисконтной картой».
fn instrumental(kind: DiscountKind) -> &'static str {
    match kind {
        DiscountKind::Online => "скидкой за онлайн-запись",
        DiscountKind::Card => "дисконтной картой",
        DiscountKind::Certificate => "сертификатом",
        DiscountKind::Promotion => "акцией",
    }
}

/// A discount code shown back to people: the last four characters, the rest hidden
/// (`•••• 0015`). Codes of four characters or fewer are hidden whole.
pub fn mask_code(code: &str) -> String {
    let chars: Vec<char> = code.trim().chars().collect();
    if chars.len() <= 4 {
        return "••••".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("••••\u{a0}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ONLINE_10: Discount = Discount::percent(DiscountKind::Online, 10);
    const CARD_5: Discount = Discount::percent(DiscountKind::Card, 5);
    const CARD_15: Discount = Discount::percent(DiscountKind::Card, 15);
    const PROMO_20: Discount = Discount::percent(DiscountKind::Promotion, 20);

    fn certificate(rubles: i64) -> Discount {
        Discount {
            kind: DiscountKind::Certificate,
            size: DiscountSize::Amount(Money::rubles(rubles)),
        }
    }

    #[test]
    fn the_online_discount_lowers_a_consultation() {
        let q = quote(Money::rubles(2900), false, &[ONLINE_10]);
        assert_eq!(q.price, Money::rubles(2610));
        assert_eq!(q.applied, Some(ONLINE_10));
        assert_eq!(q.reason(Lang::Ru).as_deref(), Some("скидка за онлайн-запись: 10\u{a0}%"));
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
    fn the_reason_names_what_was_passed_over() {
        let q = quote(Money::rubles(2900), false, &[ONLINE_10, CARD_15]);
        assert_eq!(
            q.reason(Lang::Ru).as_deref(),
            Some(
                "скидка за онлайн-запись 10\u{a0}% не суммируется с дисконтной картой; \
                 применена дисконтная карта: 15\u{a0}%"
            )
        );
        assert_eq!(
            q.reason(Lang::En).as_deref(),
            Some(
                "The online booking discount 10\u{a0}% does not add up with discount card; \
                 applied: Discount card: 15\u{a0}%"
            )
        );
    }

    #[test]
    fn a_certificate_is_a_sum_and_wins_only_when_it_saves_more() {
        let q = quote(Money::rubles(2900), false, &[ONLINE_10, certificate(1000)]);
        assert_eq!(q.applied, Some(certificate(1000)));
        assert_eq!(q.price, Money::rubles(1900));
        let reason = q.reason(Lang::Ru).unwrap_or_default();
        assert!(reason.ends_with("; применён сертификат: 1\u{202f}000\u{a0}₽"), "{reason}");
        let q = quote(Money::rubles(20000), false, &[ONLINE_10, certificate(1000)]);
        assert_eq!(q.applied, Some(ONLINE_10), "10 % of 20 000 is 2 000, more than 1 000");
        let q = quote(Money::rubles(600), false, &[certificate(1000)]);
        assert_eq!(q.price, Money(0), "never below zero");
    }

    #[test]
    fn on_a_tie_the_discount_that_spends_nothing_wins() {
        let q = quote(Money::rubles(1000), false, &[certificate(100), ONLINE_10]);
        assert_eq!(q.applied, Some(ONLINE_10), "the certificate is kept for later");
    }

    #[test]
    fn complex_programs_take_no_online_discount() {
        let q = quote(Money::rubles(15000), true, &[ONLINE_10]);
        assert_eq!(q.price, Money::rubles(15000));
        assert_eq!(q.note, PriceNote::ComplexProgram);
        assert!(q.reason(Lang::Ru).is_some_and(|r| r.contains("комплексные программы")));
        let q = quote(Money::rubles(15000), true, &[ONLINE_10, CARD_5]);
        assert_eq!(q.applied, Some(CARD_5), "a card still applies to a program");
    }

    #[test]
    fn prices_round_to_whole_rubles_and_print_grouped() {
        assert_eq!(quote(Money::rubles(1850), false, &[ONLINE_10]).price, Money::rubles(1665));
        assert_eq!(quote(Money::rubles(1855), false, &[ONLINE_10]).price, Money::rubles(1670));
        assert_eq!(Money::rubles(12500).display(), "12\u{202f}500\u{a0}₽");
        assert_eq!(Money(99950).display(), "999,50\u{a0}₽");
        assert!((Money(261050).as_rubles() - 2610.5).abs() < f64::EPSILON);
    }

    #[test]
    fn codes_show_only_their_last_four_characters() {
        assert_eq!(mask_code("DEMO-CARD-15"), "••••\u{a0}D-15");
        assert_eq!(mask_code("1234"), "••••");
    }

    fn any_discount() -> impl Strategy<Value = Discount> {
        let kind = prop::sample::select(DiscountKind::ALL.to_vec());
        let size = prop_oneof![
            (0u8..=120).prop_map(DiscountSize::Percent),
            (-1000i64..3_000_000).prop_map(|k| DiscountSize::Amount(Money(k))),
        ];
        (kind, size).prop_map(|(kind, size)| Discount { kind, size })
    }

    proptest! {
        #[test]
        fn at_most_one_discount_the_best_never_below_zero(
            base in 0i64..10_000_000,
            complex: bool,
            offered in prop::collection::vec(any_discount(), 0..6),
        ) {
            let q = quote(Money(base), complex, &offered);
            prop_assert!(q.price.0 >= 0 && q.price <= q.base);
            match q.applied {
                None => prop_assert_eq!(q.price, q.base),
                Some(applied) => {
                    prop_assert!(offered.contains(&applied));
                    prop_assert_eq!(q.price, applied.apply(q.base), "one discount, not a sum");
                    prop_assert!(!(complex && applied.kind == DiscountKind::Online));
                    prop_assert!(q.reason(Lang::Ru).is_some() && q.reason(Lang::En).is_some());
                }
            }
            // No other discount that may apply would have left less to pay.
            for d in offered.iter().filter(|d| !(complex && d.kind == DiscountKind::Online)) {
                if d.is_real() {
                    prop_assert!(q.price <= d.apply(q.base));
                }
            }
        }
    }
}
