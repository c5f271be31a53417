//! How typed search text meets the catalog (C1): one folding of both sides, so that case never
//! matters and «е» finds «ё» — «соловьева» finds «Соловьёва», «прием» finds «Приём».

/// `text` folded for matching: lower case, «ё» as «е».
pub fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

/// Whether every word of `query` is in `haystack`, both folded.
pub fn matches_all(query: &str, haystack: &str) -> bool {
    let haystack = fold(haystack);
    query.split_whitespace().all(|word| haystack.contains(&fold(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_yo_never_matter() {
        assert!(matches_all("соловьева", "Соловьёва Анна Игоревна"));
        assert!(matches_all("СОЛОВЬЁВА анна", "Соловьёва Анна Игоревна"));
        assert!(matches_all("прием педиатра", "Приём педиатра первичный"));
        assert!(matches_all("", "Приём"));
        assert!(!matches_all("соловьев иван", "Соловьёва Анна"));
    }
}
