//! Specialists' photos as the administrator uploads them (C1). An upload is hostile input: its
//! format is told by its content (JPEG, PNG or WebP, never by name or Content-Type), its size
//! and its sides are checked before it is decoded (a small file may claim a huge picture), and
//! what is kept is our own re-encoding, at most [`STORED_SIDE`] px a side — which drops EXIF
//! and with it the place a photo was taken.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, Rgb, RgbImage};

/// The largest upload, bytes.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// The longest side of an upload, px.
pub const MAX_PHOTO_SIDE: u32 = 4000;
/// The longest side of the photo we keep, px: larger than any page shows it.
pub const STORED_SIDE: u32 = 800;
/// The media type of the photos we keep.
pub const PHOTO_CONTENT_TYPE: &str = "image/jpeg";
/// The most memory a decoder may ask for (a 4000×4000 RGBA picture is 64 MB).
const MAX_DECODE_BYTES: u64 = 96 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;

/// The photo to keep, re-encoded as JPEG, or the message key saying why the upload was
/// refused.
pub fn reencode(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    if bytes.is_empty() {
        return Err("error-photo-empty");
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err("error-photo-too-large");
    }
    let format = match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => format,
        _ => return Err("error-photo-format"),
    };
    // The sides from the header alone, before anything is decoded.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| "error-photo-broken")?;
    if width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE {
        return Err("error-photo-sides");
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| "error-photo-broken")?;
    // A phone's photo is upright only with its EXIF orientation, which we drop: apply it.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| "error-photo-broken")?;
    picture.apply_orientation(orientation);
    if picture.width() > STORED_SIDE || picture.height() > STORED_SIDE {
        picture = picture.resize(STORED_SIDE, STORED_SIDE, FilterType::Lanczos3);
    }
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&on_white(&picture))
        .map_err(|_| "error-photo-broken")?;
    Ok(out)
}

/// The picture over a white background: JPEG has no transparency, and a transparent PNG's
/// hidden pixels are often black.
fn on_white(picture: &DynamicImage) -> RgbImage {
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            u8::try_from((c * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
        };
        Rgb([over(r), over(g), over(b)])
    })
}

/// A new name for a photo: random, so each upload is a new address that caches keep forever.
pub fn new_photo_name() -> String {
    format!("{}.jpg", kabinet_core::token::random_token())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = DynamicImage::new_rgba8(width, height);
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_png_becomes_a_jpeg_no_larger_than_we_keep() {
        let kept = reencode(&png(1200, 600)).unwrap();
        assert_eq!(image::guess_format(&kept).unwrap(), ImageFormat::Jpeg);
        let picture = image::load_from_memory(&kept).unwrap();
        assert_eq!((picture.width(), picture.height()), (800, 400));
    }

    #[test]
    fn text_and_huge_pictures_are_refused_before_decoding() {
        assert_eq!(reencode(b"hello, I am a jpeg"), Err("error-photo-format"));
        assert_eq!(reencode(&png(4001, 10)), Err("error-photo-sides"));
        assert_eq!(reencode(&[]), Err("error-photo-empty"));
    }
}
