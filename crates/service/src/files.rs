//! Uploaded files (attachments now, health documents in issue 14): the type told by content
//! (PDF, JPEG, PNG: magic bytes, never the name), the size limit, and the random name the
//! file is kept under. Pages and the API hand the bytes here; nothing else checks them.

use kabinet_core::requests::FileType;
use kabinet_store::files::NewFile;

/// An uploaded file as received: only its bytes count (its name is the uploader's and stays
/// out of the database).
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Why a file was refused (a Fluent key).
pub fn check(upload: &Upload, max_kb: u32) -> Result<NewFile, &'static str> {
    if upload.bytes.len() > usize::try_from(max_kb).unwrap_or(usize::MAX).saturating_mul(1024) {
        return Err("error-file-size");
    }
    let kind = FileType::sniff(&upload.bytes).ok_or("error-file-type")?;
    Ok(NewFile {
        name: format!("{}.{}", kabinet_core::token::random_token(), kind.extension()),
        content_type: kind.content_type(),
        bytes: upload.bytes.clone(),
    })
}

/// The most files one request takes.
pub const MAX_FILES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_by_content_and_size_by_the_setting() {
        let png = Upload { bytes: b"\x89PNG\r\n\x1a\nrest".to_vec() };
        let file = check(&png, 1).unwrap();
        assert!(file.name.ends_with(".png"));
        assert_eq!(file.content_type, "image/png");
        assert_eq!(check(&Upload { bytes: b"hello".to_vec() }, 1).unwrap_err(), "error-file-type");
        let big = Upload { bytes: [b"%PDF-".as_slice(), &[0; 2048]].concat() };
        assert_eq!(check(&big, 1).unwrap_err(), "error-file-size");
    }
}
