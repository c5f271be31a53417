// Issue 11, point 2 in the browser: the administrator keeps the catalog. A specialist's form
// sent empty comes back with messages beside the fields; filled in, it adds the specialist;
// a photo uploaded on their page shows on the public specialist page and in the directory.
// The branch and specialty forms, the catalog's lists and the specialist's form pass axe-core
// at 1280 and 390 px, in Russian and English, and nothing scrolls sideways.
//
// It needs an administrator, whom a database allows once, so it runs on a clinic of its own
// (clinic.js). KABINET_E2E_SHOTS=/some/dir saves a screenshot of every page checked, named
// <page>-<lang>-<width>.png.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { checkA11y, launch, navigateBy, open } from './helpers.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 3; // this file's digit in the phones it books with
const SHOTS = process.env.KABINET_E2E_SHOTS;
const STORY = 'the administrator adds a specialist with a photo, and patients see it';

/** With KABINET_E2E_SHOTS set, saves the whole page as <name>-<lang>-<width>.png there. */
async function shoot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const lang = await page.locator('html').getAttribute('lang');
  const { width } = page.viewportSize();
  await page.screenshot({ path: join(SHOTS, `${name}-${lang}-${width}.png`), fullPage: true });
}

/** At 1280 and 390 px: nothing scrolls sideways, axe-core finds nothing; a screenshot of each. */
async function everyWidth(page, name) {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    await page.setViewportSize({ width, height });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `${name} fits ${width} px (${wide} px wide)`);
    await checkA11y(page, `${name} at ${width} px`);
    await shoot(page, name);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Switches the page's language, staying on `path`. */
async function speak(page, lang, path = new URL(page.url()).pathname) {
  await open(page, `/lang/${lang}?next=${encodeURIComponent(path)}`);
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
}

describe(STORY, { skip: OWN_SERVER_SKIP }, () => {
  let browser;
  let clinic;

  before(async () => {
    browser = await launch();
    clinic = await openClinic(browser, FILE);
  });

  after(async () => {
    await clinic?.close();
    await browser?.close();
  });

  test(STORY, async () => {
    const admin = clinic.admin.page;
    const visitor = clinic.visitor.page;

    // The menu leads to the catalog.
    await open(admin, '/staff');
    await navigateBy(admin, () => admin.getByRole('link', { name: 'Каталог', exact: true }).click());
    assert.match(await admin.locator('h1').innerText(), /Каталог клиники/);
    await everyWidth(admin, 'catalog');

    // The branch and specialty forms, new and existing.
    await open(admin, '/staff/catalog/branches/new');
    await everyWidth(admin, 'branch-new');
    await open(admin, '/staff/catalog');
    await navigateBy(admin, () => admin.locator('table a[href^="/staff/catalog/branches/"]').first().click());
    assert.match(await admin.locator('main').innerText(), /удалить его нельзя/);
    await everyWidth(admin, 'branch');
    await open(admin, '/staff/catalog/specialties/new');
    await admin.locator('#name').fill('Остеопат');
    await admin.locator('#min_age').fill('18');
    await press(admin, 'Сохранить');
    assert.match(admin.url(), /\/staff\/catalog#specialties$/);
    assert.match(await admin.locator('main').innerText(), /Остеопат\s+с 18 лет/);
    await navigateBy(admin, () => admin.getByRole('link', { name: 'Остеопат', exact: true }).click());
    await everyWidth(admin, 'specialty');

    // A specialist's form sent empty: the messages beside the fields, the summary on top.
    await open(admin, '/staff/catalog/specialists/new');
    await everyWidth(admin, 'specialist-new');
    await admin.locator('#first_name').fill('Дарья');
    await press(admin, 'Сохранить');
    const refused = await admin.locator('main').innerText();
    assert.match(refused, /Проверьте выделенные поля/);
    assert.match(refused, /Фамилия: Заполните это поле/);
    assert.equal(await admin.locator('#first_name').inputValue(), 'Дарья', 'kept as typed');
    await everyWidth(admin, 'specialist-errors');

    // Filled in: added, and their page in the back office is next.
    await admin.locator('#last_name').fill('Ясенева');
    await admin.locator('#middle_name').fill('Олеговна');
    await admin.locator('#gender').selectOption('f');
    await admin.getByLabel('Остеопат', { exact: true }).check();
    await admin.locator('#qualification').fill('Врач первой категории');
    await admin.locator('#degree').fill('кандидат медицинских наук');
    await admin.locator('#career_start_year').fill('2010');
    await admin.locator('#main_branch').selectOption({ index: 1 });
    await admin.locator('#bio').fill('Помогает при болях в спине.');
    await press(admin, 'Сохранить');
    const id = Number(admin.url().match(/\/staff\/catalog\/specialists\/(\d+)/)?.[1]);
    assert.ok(id, admin.url());
    assert.match(await admin.locator('h1').innerText(), /Ясенева Дарья Олеговна/);

    // A photo: any picture will do; this one is the browser's own JPEG of the page.
    const jpeg = await admin.screenshot({ type: 'jpeg', clip: { x: 0, y: 0, width: 600, height: 600 } });
    await admin.locator('#photo-file').setInputFiles({ name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await press(admin, 'Загрузить фотографию');
    const shown = admin.locator('#photo img[src^="/photos/"]');
    assert.equal(await shown.count(), 1, 'the photo is on the specialist\'s page');
    await everyWidth(admin, 'specialist');

    // A text file is refused in words.
    await admin.locator('#photo-file').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') });
    await press(admin, 'Загрузить фотографию');
    assert.match(await admin.locator('#photo-error').innerText(), /Это не фотография/);
    await everyWidth(admin, 'specialist-photo-error');

    // Patients see the photo on the specialist's page and in the directory.
    await open(visitor, `/specialists/${id}`);
    const photo = visitor.locator('.profile img[src^="/photos/"]');
    assert.equal(await photo.count(), 1);
    assert.equal(await photo.getAttribute('alt'), 'Фотография: Ясенева Дарья Олеговна');
    const natural = await photo.evaluate((img) => img.complete && img.naturalWidth);
    assert.ok(natural > 0, 'the photo loads');
    const page = await visitor.locator('main').innerText();
    assert.match(page, /кандидат медицинских наук/);
    await everyWidth(visitor, 'public-specialist');
    await open(visitor, '/specialists?q=Ясенева');
    assert.equal(await visitor.locator('.card img[src^="/photos/"]').count(), 1);
    await everyWidth(visitor, 'public-directory');

    // In English the same pages pass too.
    await speak(admin, 'en', '/staff/catalog');
    await everyWidth(admin, 'catalog');
    await open(admin, `/staff/catalog/specialists/${id}`);
    await everyWidth(admin, 'specialist');
    await open(admin, '/staff/catalog/branches/new');
    await everyWidth(admin, 'branch-new');
    await speak(admin, 'ru', '/staff/catalog');
  });
});
