//! A price list as clinics' accounting systems write it (C3): CSV in UTF-8 (with or without
//! a BOM) or Windows-1251, fields split by `;` or `,` (read from the header line), quoted
//! where needed. Columns by their header, in Russian or English: the code and the price are
//! required; the name, group, kind and duration are read when present (a new service needs
//! them). Prices are rubles with `,` or `.` before kopecks and spaces between thousands.
//!
//! Parsing is pure: every line comes back with its values or its problems (message keys), and
//! the file is checked again against the catalog by the service before anything changes.

use crate::catalog::ServiceKind;
use crate::pricing::Money;

/// The largest file read, bytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The most lines a list may have.
pub const MAX_LINES: usize = 5000;
/// The highest price accepted, kopecks (ten million rubles).
const MAX_PRICE: i64 = 1_000_000_000;

/// How the file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Windows-1251 (Cyrillic), as older accounting systems write.
    Windows1251,
}

/// One line of the list, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    /// Its line number in the file (the header is line 1).
    pub line: usize,
    /// The service's code, trimmed.
    pub code: String,
    /// The name, if the file has the column and the cell is not empty.
    pub name: Option<String>,
    /// The price.
    pub price: Option<Money>,
    /// The name in English, if given.
    pub name_en: Option<String>,
    /// The group's name, if given.
    pub group: Option<String>,
    /// The group's name in English, if given (used when the line creates the group).
    pub group_en: Option<String>,
    /// The kind, if given.
    pub kind: Option<ServiceKind>,
    /// Minutes a visit takes, if given.
    pub duration_minutes: Option<i32>,
    /// What is wrong with the line (message keys); empty when it is fine.
    pub errors: Vec<&'static str>,
}

impl PriceLine {
    /// Whether the line can be used.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// A whole file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceFile {
    /// How it was written.
    pub encoding: TextEncoding,
    /// The field separator found in the header.
    pub delimiter: char,
    /// Its lines after the header, in order.
    pub lines: Vec<PriceLine>,
    /// What makes the whole file unusable (message key): no header, no code or price
    /// column, too big, no lines.
    pub error: Option<&'static str>,
}

impl PriceFile {
    /// Whether every line is fine and the file has at least one.
    pub fn is_ok(&self) -> bool {
        self.error.is_none() && self.lines.iter().all(PriceLine::is_ok)
    }
}

/// The columns the header names, by position.
#[derive(Debug, Default)]
struct Columns {
    code: Option<usize>,
    name: Option<usize>,
    name_en: Option<usize>,
    price: Option<usize>,
    group: Option<usize>,
    group_en: Option<usize>,
    kind: Option<usize>,
    duration: Option<usize>,
}

impl Columns {
    fn of(header: &csv::StringRecord) -> Self {
        let mut columns = Self::default();
        for (i, title) in header.iter().enumerate() {
            let title = title.trim().trim_start_matches('\u{feff}').to_lowercase();
            let slot = match title.as_str() {
                "code" | "код" | "код услуги" | "артикул" => &mut columns.code,
                "name" | "название" | "наименование" | "услуга" => {
                    &mut columns.name
                }
                "name_en" | "name (english)" | "название (англ.)" => {
                    &mut columns.name_en
                }
                "price" | "цена" | "стоимость" | "цена, руб" | "цена, руб." => {
                    &mut columns.price
                }
                "group" | "группа" | "раздел" => &mut columns.group,
                "group_en" | "group (english)" | "группа (англ.)" => {
                    &mut columns.group_en
                }
                "kind" | "вид" | "тип" => &mut columns.kind,
                "duration" | "длительность" | "минуты" | "длительность, мин" => {
                    &mut columns.duration
                }
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        columns
    }
}

/// The text of the file and how it was written: valid UTF-8 (a BOM dropped) is UTF-8,
/// anything else is read as Windows-1251.
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
            (text.into_owned(), TextEncoding::Windows1251)
        }
    }
}

/// The separator of the header line: `;` unless it has more commas (outside quotes).
fn delimiter_of(text: &str) -> char {
    let header = text.lines().next().unwrap_or_default();
    let (mut quoted, mut semicolons, mut commas) = (false, 0, 0);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if commas > semicolons { ',' } else { ';' }
}

/// A price in rubles as people write it: `1 234,50`, `1234.5`, `2 900`, `2900 ₽`.
pub fn parse_price(text: &str) -> Result<Money, &'static str> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('₽')
        .trim_end_matches("руб.")
        .trim_end_matches("руб")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    if cleaned.is_empty() {
        return Err("price-import-error-no-price");
    }
    let (rubles, kopecks) = match cleaned.split_once([',', '.']) {
        Some((r, k)) => (r, k),
        None => (cleaned.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(rubles) || !(kopecks.is_empty() || (digits(kopecks) && kopecks.len() <= 2)) {
        return Err("price-import-error-bad-price");
    }
    let rubles: i64 = rubles.parse().map_err(|_| "price-import-error-bad-price")?;
    let kopecks: i64 = match kopecks.len() {
        0 => 0,
        1 => kopecks.parse::<i64>().map_err(|_| "price-import-error-bad-price")? * 10,
        _ => kopecks.parse().map_err(|_| "price-import-error-bad-price")?,
    };
    let total = rubles.checked_mul(100).and_then(|r| r.checked_add(kopecks));
    match total {
        Some(total) if total <= MAX_PRICE => Ok(Money(total)),
        _ => Err("price-import-error-bad-price"),
    }
}

/// A kind as the file names it: the stored word, or Russian.
pub fn parse_kind(text: &str) -> Result<ServiceKind, &'static str> {
    let word = text.trim().to_lowercase();
    if let Ok(kind) = word.parse::<ServiceKind>() {
        return Ok(kind);
    }
    match word.as_str() {
        "консультация" | "приём" | "прием" => Ok(ServiceKind::Consultation),
        "процедура" => Ok(ServiceKind::Procedure),
        "диагностика" | "обследование" => Ok(ServiceKind::Diagnostics),
        "анализ" | "лабораторный анализ" => Ok(ServiceKind::Test),
        "справка" => Ok(ServiceKind::Certificate),
        "комплексная программа" | "программа" => {
            Ok(ServiceKind::Program)
        }
        _ => Err("price-import-error-bad-kind"),
    }
}

/// Minutes a visit takes: 5 to 480.
pub fn parse_duration(text: &str) -> Result<i32, &'static str> {
    match text.trim().parse::<i32>() {
        Ok(minutes) if (5..=480).contains(&minutes) => Ok(minutes),
        _ => Err("price-import-error-bad-duration"),
    }
}

/// Reads a price-list file. Never fails: problems are on the file or on its lines.
pub fn parse_price_file(bytes: &[u8]) -> PriceFile {
    let (text, encoding) = decode(bytes);
    let delimiter = delimiter_of(&text);
    let mut file = PriceFile { encoding, delimiter, lines: Vec::new(), error: None };
    if bytes.len() > MAX_FILE_BYTES {
        file.error = Some("price-import-error-too-big");
        return file;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(u8::try_from(delimiter).unwrap_or(b';'))
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns = match reader.headers() {
        Ok(header) => Columns::of(header),
        Err(_) => {
            file.error = Some("price-import-error-no-header");
            return file;
        }
    };
    let (Some(code_at), Some(price_at)) = (columns.code, columns.price) else {
        file.error = Some("price-import-error-missing-column");
        return file;
    };
    let mut seen = std::collections::HashSet::new();
    for (index, record) in reader.records().enumerate() {
        // The header is line 1; a cell that spans lines is rare enough to count as one.
        let line = index + 2;
        if file.lines.len() >= MAX_LINES {
            file.error = Some("price-import-error-too-many-lines");
            return file;
        }
        let Ok(record) = record else {
            file.lines.push(broken(line));
            continue;
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |at: Option<usize>| {
            at.and_then(|i| record.get(i)).map(str::trim).filter(|c| !c.is_empty())
        };
        let mut errors = Vec::new();
        let code = cell(Some(code_at)).unwrap_or_default().to_owned();
        if code.is_empty() {
            errors.push("price-import-error-no-code");
        } else if code.chars().count() > 40 {
            errors.push("price-import-error-bad-code");
        } else if !seen.insert(code.to_uppercase()) {
            errors.push("price-import-error-duplicate-code");
        }
        let price = match cell(Some(price_at)) {
            None => {
                errors.push("price-import-error-no-price");
                None
            }
            Some(text) => parse_price(text).map_err(|e| errors.push(e)).ok(),
        };
        let kind = cell(columns.kind).and_then(|t| parse_kind(t).map_err(|e| errors.push(e)).ok());
        let duration_minutes =
            cell(columns.duration).and_then(|t| parse_duration(t).map_err(|e| errors.push(e)).ok());
        let name = cell(columns.name).map(str::to_owned);
        if name.as_ref().is_some_and(|n| n.chars().count() > 300) {
            errors.push("price-import-error-bad-name");
        }
        file.lines.push(PriceLine {
            line,
            code,
            name,
            name_en: cell(columns.name_en).map(str::to_owned),
            price,
            group: cell(columns.group).map(str::to_owned),
            group_en: cell(columns.group_en).map(str::to_owned),
            kind,
            duration_minutes,
            errors,
        });
    }
    if file.lines.is_empty() {
        file.error = Some("price-import-error-empty");
    }
    file
}

fn broken(line: usize) -> PriceLine {
    PriceLine {
        line,
        code: String::new(),
        name: None,
        name_en: None,
        price: None,
        group: None,
        group_en: None,
        kind: None,
        duration_minutes: None,
        errors: vec!["price-import-error-unreadable"],
    }
}

/// A price in rubles as a file writes it: `2900` or `2900,50`.
pub fn price_text(price: Money) -> String {
    if price.0 % 100 == 0 {
        (price.0 / 100).to_string()
    } else {
        format!("{},{:02}", price.0 / 100, price.0 % 100)
    }
}

/// One row of a list written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Group's name.
    pub group: String,
    /// Group's name in English.
    pub group_en: Option<String>,
    /// Kind.
    pub kind: ServiceKind,
    /// Minutes.
    pub duration_minutes: i32,
    /// Price.
    pub price: Money,
}

/// Writes a list as CSV for Excel: UTF-8 with a BOM, `;` between fields, CRLF line ends,
/// with a header this module reads back.
pub fn write_price_file(rows: &[ExportRow]) -> Vec<u8> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows_written = writer
        .write_record(["code", "name", "name_en", "group", "group_en", "kind", "duration", "price"])
        .map(|()| 0_usize);
    for row in rows {
        let duration = row.duration_minutes.to_string();
        let price = price_text(row.price);
        let fields = [
            row.code.as_str(),
            &row.name,
            row.name_en.as_deref().unwrap_or_default(),
            &row.group,
            row.group_en.as_deref().unwrap_or_default(),
            row.kind.as_str(),
            &duration,
            &price,
        ];
        rows_written = rows_written.and_then(|n| writer.write_record(fields).map(|()| n + 1));
    }
    if rows_written.is_ok() {
        out.extend(writer.into_inner().unwrap_or_default());
    }
    out
}

/// The lines of a file that parsed, written back as the canonical file (UTF-8, `;`), to
/// carry a previewed file to its apply form; the apply parses it again.
pub fn canonical_text(file: &PriceFile) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let mut result = writer.write_record([
        "code", "name", "name_en", "group", "group_en", "kind", "duration", "price",
    ]);
    for l in &file.lines {
        let duration = l.duration_minutes.map(|d| d.to_string()).unwrap_or_default();
        let price = l.price.map(price_text).unwrap_or_default();
        let kind = l.kind.map(|k| k.as_str()).unwrap_or_default();
        let fields = [
            l.code.as_str(),
            l.name.as_deref().unwrap_or_default(),
            l.name_en.as_deref().unwrap_or_default(),
            l.group.as_deref().unwrap_or_default(),
            l.group_en.as_deref().unwrap_or_default(),
            kind,
            &duration,
            &price,
        ];
        result = result.and_then(|()| writer.write_record(fields));
    }
    match (result, writer.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cp1251(text: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1251.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_with_semicolons_reads_every_column() {
        let text = "Код;Наименование;Группа;Вид;Длительность;Цена\n\
            B01.047.001;Приём терапевта;Приёмы;консультация;30;2 900,50\n";
        let file = parse_price_file(text.as_bytes());
        assert_eq!(file.encoding, TextEncoding::Utf8);
        assert_eq!(file.delimiter, ';');
        assert!(file.is_ok(), "{file:?}");
        let line = &file.lines[0];
        assert_eq!(line.line, 2);
        assert_eq!(line.code, "B01.047.001");
        assert_eq!(line.name.as_deref(), Some("Приём терапевта"));
        assert_eq!(line.group.as_deref(), Some("Приёмы"));
        assert_eq!(line.kind, Some(ServiceKind::Consultation));
        assert_eq!(line.duration_minutes, Some(30));
        assert_eq!(line.price, Some(Money(290_050)));
    }

    #[test]
    fn a_bom_is_dropped_and_windows_1251_with_commas_is_read() {
        let with_bom = b"\xef\xbb\xbfcode;price\nA1;100\n";
        let file = parse_price_file(with_bom);
        assert_eq!((file.encoding, file.lines[0].code.as_str()), (TextEncoding::Utf8, "A1"));

        let text = "код,название,цена\nB01.001,\"Приём, первичный\",\"1 500.5\"\n";
        let file = parse_price_file(&cp1251(text));
        assert_eq!(file.encoding, TextEncoding::Windows1251);
        assert_eq!(file.delimiter, ',');
        assert!(file.is_ok(), "{file:?}");
        assert_eq!(file.lines[0].name.as_deref(), Some("Приём, первичный"));
        assert_eq!(file.lines[0].price, Some(Money(150_050)));
    }

    #[test]
    fn each_bad_line_says_what_is_wrong_and_the_others_stay() {
        let text = "code;name;price;kind;duration\n\
            A1;Один;100;;\n\
            A2;Два;сто;;\n\
            A1;Снова;200;;\n\
            ;Без кода;300;;\n\
            A3;Три;;;\n\
            A4;Четыре;100;нечто;1000\n";
        let file = parse_price_file(text.as_bytes());
        assert!(!file.is_ok());
        let errors: Vec<(usize, Vec<&str>)> =
            file.lines.iter().map(|l| (l.line, l.errors.clone())).collect();
        assert_eq!(
            errors,
            vec![
                (2, vec![]),
                (3, vec!["price-import-error-bad-price"]),
                (4, vec!["price-import-error-duplicate-code"]),
                (5, vec!["price-import-error-no-code"]),
                (6, vec!["price-import-error-no-price"]),
                (7, vec!["price-import-error-bad-kind", "price-import-error-bad-duration"]),
            ]
        );
    }

    #[test]
    fn a_file_without_the_code_or_price_column_or_lines_is_refused_whole() {
        let file = parse_price_file("name;price\nПриём;100\n".as_bytes());
        assert_eq!(file.error, Some("price-import-error-missing-column"));
        let file = parse_price_file("code;price\n".as_bytes());
        assert_eq!(file.error, Some("price-import-error-empty"));
        let file = parse_price_file(b"");
        assert!(file.error.is_some());
    }

    #[test]
    fn prices_are_read_as_people_write_them() {
        assert_eq!(parse_price("2 900"), Ok(Money(290_000)));
        assert_eq!(parse_price("2\u{a0}900,5"), Ok(Money(290_050)));
        assert_eq!(parse_price("1234.05 ₽"), Ok(Money(123_405)));
        assert_eq!(parse_price("0"), Ok(Money(0)));
        for bad in ["-5", "1,234,5", "12.345", "abc", "1e3", "99999999999"] {
            assert_eq!(parse_price(bad), Err("price-import-error-bad-price"), "{bad}");
        }
        assert_eq!(parse_price("  "), Err("price-import-error-no-price"));
    }

    #[test]
    fn an_export_reads_back_as_the_same_list() {
        let rows = vec![ExportRow {
            code: "B01.001".into(),
            name: "Приём; \"первичный\"".into(),
            name_en: Some("First visit".into()),
            group: "Приёмы".into(),
            group_en: Some("Visits".into()),
            kind: ServiceKind::Program,
            duration_minutes: 60,
            price: Money(150_050),
        }];
        let bytes = write_price_file(&rows);
        assert!(bytes.starts_with(b"\xef\xbb\xbf"));
        let file = parse_price_file(&bytes);
        assert!(file.is_ok(), "{file:?}");
        let line = &file.lines[0];
        assert_eq!(line.name.as_deref(), Some("Приём; \"первичный\""));
        assert_eq!(line.group_en.as_deref(), Some("Visits"));
        assert_eq!((line.kind, line.price), (Some(ServiceKind::Program), Some(Money(150_050))));
        let again = parse_price_file(canonical_text(&file).as_bytes());
        assert_eq!(again.lines, file.lines);
    }

    proptest! {
        #[test]
        fn any_price_written_reads_back(kopecks in 0_i64..=MAX_PRICE) {
            prop_assert_eq!(parse_price(&price_text(Money(kopecks))), Ok(Money(kopecks)));
        }

        #[test]
        fn any_bytes_parse_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_price_file(&bytes);
        }
    }
}
