//! Specialists' photos over HTTP, on every backend (C1): an upload is recognised by its
//! content, never by its name or Content-Type; it is re-encoded by us, so a photo's EXIF (and
//! the place it was taken) never reaches the site; it is served under a name of ours with a
//! long cache lifetime; too large a file or picture is refused with a message; the form needs
//! its CSRF token; a removed photo gives the initials portrait back.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::common::TestApp;
use crate::staff::{administrator, csrf};

/// A picture of `width`×`height` in `format`.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        Rgb([u8::try_from(x % 256).unwrap(), u8::try_from(y % 256).unwrap(), 120])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels).write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A JPEG as a phone makes it: with an EXIF segment that says where it was taken (a GPS IFD
/// with the latitude's reference, "N").
fn jpeg_with_gps() -> Vec<u8> {
    let plain = picture(64, 48, ImageFormat::Jpeg);
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 right after the header
    tiff.extend(1u16.to_le_bytes()); // one entry: the GPS IFD's offset
    tiff.extend(0x8825u16.to_le_bytes());
    tiff.extend(4u16.to_le_bytes()); // LONG
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    tiff.extend(1u16.to_le_bytes()); // GPS IFD: GPSLatitudeRef = "N"
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes()); // ASCII
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(tiff);
    let length = u16::try_from(segment.len() + 2).unwrap();
    let mut out = plain[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(length.to_be_bytes());
    out.extend(segment);
    out.extend(&plain[2..]);
    out
}

/// The name of the photo the page shows, if any: `/photos/{name}`.
fn photo_on(body: &str) -> Option<String> {
    let tail = body.split("src=\"/photos/").nth(1)?;
    Some(tail.split('"').next()?.to_owned())
}

#[tokio::test]
async fn an_uploaded_photo_is_served_re_encoded_without_its_exif() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let (id, _) = app.bookable(0).await;
        let upload = jpeg_with_gps();
        assert!(upload.windows(4).any(|w| w == b"Exif"), "the upload carries EXIF");

        let uri = format!("/staff/catalog/specialists/{id}/photo");
        let file = ("photo", "IMG_0001.jpg", "image/jpeg", upload.as_slice());
        let done = app.post_multipart(&uri, &admin, &[("csrf", &token)], file).await;
        assert_eq!(done.status, 303, "{b}: {}", done.body);

        let page = app.get(&format!("/specialists/{id}")).await;
        let name = photo_on(&page.body).unwrap_or_else(|| panic!("{b}: no photo on the page"));
        assert!(page.body.contains("alt=\"Фотография: "), "{b}: the photo says whose it is");
        assert!(!name.contains("IMG_0001"), "{b}: the name is ours");
        let directory = app.get("/specialists").await;
        assert!(directory.body.contains(&format!("/photos/{name}")), "{b}: in the directory too");

        let (status, headers, served) = app.get_bytes(&format!("/photos/{name}")).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(headers["content-type"], "image/jpeg", "{b}");
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable", "{b}");
        assert!(!served.windows(4).any(|w| w == b"Exif"), "{b}: no EXIF served");
        let shown = image::load_from_memory(&served).unwrap();
        assert_eq!((shown.width(), shown.height()), (64, 48), "{b}");

        // A new upload is a new name; the old one is gone.
        let again = app.post_multipart(&uri, &admin, &[("csrf", &token)], file).await;
        assert_eq!(again.status, 303, "{b}");
        let page = app.get(&format!("/specialists/{id}")).await;
        assert_ne!(photo_on(&page.body).as_deref(), Some(name.as_str()), "{b}");
        assert_eq!(app.get_bytes(&format!("/photos/{name}")).await.0, 404, "{b}");

        // Removed: the initials portrait is back.
        let remove = format!("/staff/catalog/specialists/{id}/photo/remove");
        let removed = crate::staff::post(&app, &remove, &admin, &[("csrf", &token)]).await;
        assert_eq!(removed.status, 303, "{b}");
        let page = app.get(&format!("/specialists/{id}")).await;
        assert_eq!(photo_on(&page.body), None, "{b}");
        assert!(page.body.contains(&format!("/specialists/{id}/photo.svg")), "{b}");
    }
}

#[tokio::test]
async fn a_photo_is_told_by_its_content_and_too_large_ones_are_refused() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let token = csrf(&app, &admin).await;
        let (id, _) = app.bookable(1).await;
        let uri = format!("/staff/catalog/specialists/{id}/photo");
        let send = |file: (&'static str, &'static str, &'static str, Vec<u8>)| {
            let (app, uri, admin, token) = (&app, &uri, &admin, &token);
            async move {
                let file = (file.0, file.1, file.2, file.3.as_slice());
                app.post_multipart(uri, admin, &[("csrf", token)], file).await
            }
        };

        // A PNG named and sent as a JPEG is a PNG: taken.
        let png = picture(40, 40, ImageFormat::Png);
        let taken = send(("photo", "portrait.jpg", "image/jpeg", png)).await;
        assert_eq!(taken.status, 303, "{b}: {}", taken.body);

        // Text named .jpg is no photo, whatever it says it is.
        let text = b"I am a photo, honestly".to_vec();
        let refused = send(("photo", "photo.jpg", "image/jpeg", text)).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Это не фотография в формате JPEG, PNG или WebP."), "{b}");

        // More than 4,000 px a side, though a small file.
        let wide = picture(4001, 2, ImageFormat::Png);
        let refused = send(("photo", "wide.png", "image/png", wide)).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("больше 4000 пикселей"), "{b}");

        // More than 5 MB.
        let mut big = picture(8, 8, ImageFormat::Jpeg);
        big.resize(5 * 1024 * 1024 + 1, 0);
        let refused = send(("photo", "big.jpg", "image/jpeg", big)).await;
        assert_eq!(refused.status, 422, "{b}");
        assert!(refused.body.contains("Файл больше 5 МБ"), "{b}");

        // Nothing was changed by the refusals: the PNG's re-encoding is still the photo.
        let page = app.get(&format!("/specialists/{id}")).await;
        let name = photo_on(&page.body).unwrap();
        let (_, headers, served) = app.get_bytes(&format!("/photos/{name}")).await;
        assert_eq!(headers["content-type"], "image/jpeg", "{b}");
        assert_eq!(image::guess_format(&served).unwrap(), ImageFormat::Jpeg, "{b}");

        // Without the session's token the upload is refused.
        let png = picture(40, 40, ImageFormat::Png);
        let file = ("photo", "p.png", "image/png", png.as_slice());
        let forged = app.post_multipart(&uri, &admin, &[("csrf", "forged")], file).await;
        assert_eq!(forged.status, 403, "{b}");
        assert_eq!(app.get_bytes("/photos/../../etc/passwd").await.0, 404, "{b}");
    }
}
