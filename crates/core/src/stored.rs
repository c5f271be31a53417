//! States, levels, roles, kinds and reasons that the database keeps as text. Each is an enum
//! declared with [`stored_text!`], which gives it its stored names, `as_str`, `FromStr` and
//! `TryFrom<String>` (the store reads rows through it: unknown text is an error, never a
//! default), `Display` and serde as the stored name.

/// Text in the database that names no variant of the enum it is read as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: {text:?}")]
pub struct UnknownText {
    /// Which enum was asked for.
    pub kind: &'static str,
    /// What the text was.
    pub text: String,
}

/// Declares an enum whose variants are stored as fixed text, with the conversions both ways.
macro_rules! stored_text {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The name stored in the database (and used in the API).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::stored::UnknownText;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $( $text => Ok(Self::$variant), )+
                    other => Err($crate::stored::UnknownText {
                        kind: stringify!($name),
                        text: other.to_owned(),
                    }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::stored::UnknownText;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                text.parse()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use stored_text;

#[cfg(test)]
mod tests {
    use crate::access::AccessLevel;

    #[test]
    fn stored_names_go_both_ways_and_unknown_text_is_an_error() {
        for level in AccessLevel::ALL {
            assert_eq!(level.as_str().parse::<AccessLevel>(), Ok(*level));
        }
        let error = "booked".parse::<AccessLevel>().unwrap_err();
        assert_eq!(error.to_string(), "unknown AccessLevel: \"booked\"");
        assert_eq!(serde_json::to_string(&AccessLevel::OneTime).unwrap(), "\"one_time\"");
    }
}
