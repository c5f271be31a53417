// The consent ledger (G1), versions of the documents (O2) and visit statistics (O3) in the
// browser, on a clinic of its own: the patient reads the ledger, gives and withdraws the
// consent to advertising in one confirmed step each; the administrator publishes a new
// privacy policy that requires acceptance, the patient is held at it and accepts, and the
// site lists both versions; the administrator reads the visit statistics. axe-core on every
// new page at 1280 and 390 px, in Russian and English.
// KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { everyWidth, launch, navigateBy, open } from './helpers.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 6; // this file's digit in the phones of its clinic (a server of its own)

let browser;
let clinic;

before(async () => {
  if (OWN_SERVER_SKIP) return;
  browser = await launch();
  clinic = await openClinic(browser, FILE);
});

after(async () => {
  await clinic?.close();
  await browser?.close();
});

/** Now in Moscow as the date and time inputs take it. */
function moscowNow() {
  const iso = new Date(Date.now() + 3 * 3600 * 1000).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(11, 16) };
}

describe('consents, document versions and visit statistics', { skip: OWN_SERVER_SKIP }, () => {
  test('the patient gives and withdraws an optional consent on the consents page', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet');
    await navigateBy(page, () => page.getByRole('link', { name: 'Согласия', exact: true }).click());
    assert.match(page.url(), /\/cabinet\/consents$/);
    const advertising = page.locator('#consent-advertising');
    assert.match(await advertising.innerText(), /Не дано/);
    const rules = await page.locator('main').innerText();
    assert.match(rules, /Правила использования сервиса, редакция 1/);
    assert.match(rules, /на бумаге в клинике/);
    assert.match(rules, /внесено регистратором/);
    await everyWidth(page, 'consents');

    await navigateBy(page, () => page.getByRole('link', { name: 'Дать согласие: Реклама и рассылки' }).click());
    await everyWidth(page, 'consent-give');
    await press(page, 'Дать согласие');
    assert.match(await page.locator('main').innerText(), /Согласие дано/);
    assert.match(await advertising.innerText(), /Действует/);
    assert.match(await advertising.innerText(), /онлайн, внесено вами/);

    await navigateBy(page, () => page.getByRole('link', { name: 'Отозвать согласие: Реклама и рассылки' }).click());
    assert.match(await page.locator('main').innerText(), /Запись на приём это не затронет/);
    await everyWidth(page, 'consent-withdraw');
    await press(page, 'Отозвать согласие');
    assert.match(await page.locator('main').innerText(), /Согласие отозвано/);
    assert.match(await advertising.innerText(), /отозвано \d+ [а-я]+ \d{4}/);

    // The personal-data consent is withdrawn by a request, which the page says.
    const personal = page.locator('#consent-personal_data');
    assert.match(await personal.innerText(), /Не дано/);

    // The calendar page only links here now.
    await open(page, '/cabinet/calendar');
    const link = page.getByRole('link', { name: 'Дать или отозвать согласие на звонки' });
    assert.equal(await link.getAttribute('href'), '/cabinet/consents#consent-calls');
  });

  test('a new policy requiring acceptance holds the cabinet until the patient accepts', async () => {
    const admin = clinic.admin.page;
    await open(admin, '/staff/documents');
    await everyWidth(admin, 'documents');
    const form = admin.locator('form[action="/staff/documents/privacy"]');
    await admin.locator('section[aria-labelledby="doc-privacy"] summary').click();
    // A date in the past is refused next to the field, the text kept.
    await form.locator('#privacy-title').fill('Политика конфиденциальности');
    await form.locator('#privacy-body').fill('Новая редакция политики.\n\nМы храним данные в России.');
    await form.locator('#privacy-effective_day').fill('2020-01-01');
    await form.locator('#privacy-effective_time').fill('09:00');
    await form.locator('#privacy-requires_acceptance').check();
    await navigateBy(admin, () => form.getByRole('button', { name: 'Опубликовать' }).click());
    assert.match(await admin.locator('#privacy-effective_day-error').innerText(), /не может быть в прошлом/);
    assert.equal(await admin.locator('#privacy-body').inputValue(), 'Новая редакция политики.\n\nМы храним данные в России.');
    await everyWidth(admin, 'documents-error', { here: true });

    const now = moscowNow();
    await admin.locator('#privacy-effective_day').fill(now.day);
    await admin.locator('#privacy-effective_time').fill(now.time);
    await navigateBy(admin, () => admin.locator('form[action="/staff/documents/privacy"]').getByRole('button', { name: 'Опубликовать' }).click());
    assert.match(await admin.locator('main').innerText(), /Опубликована редакция 2/);

    const page = clinic.patient.page;
    await open(page, '/cabinet');
    assert.match(page.url(), /\/cabinet\/accept$/, 'the cabinet leads to the new text');
    assert.match(await page.locator('main').innerText(), /Мы храним данные в России/);
    await everyWidth(page, 'accept');
    await press(page, 'Принимаю');
    assert.match(page.url(), /\/cabinet$/);
    await open(page, '/cabinet/consents');
    assert.match(await page.locator('#consent-personal_data').innerText(), /Политика конфиденциальности, редакция 2/);

    // The site: the version in force, and both versions listed, each readable.
    await open(page, '/privacy');
    assert.match(await page.locator('main').innerText(), /Версия 2/);
    await navigateBy(page, () => page.locator('a[href="/privacy/v/1"]').first().click());
    assert.match(await page.locator('main').innerText(), /прежняя редакция/);
    await everyWidth(page, 'privacy-old-version');
  });

  test('the administrator reads the visit statistics, addresses truncated', async () => {
    const admin = clinic.admin.page;
    // The worker writes page views every few seconds.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await open(admin, '/staff/statistics');
    const main = await admin.locator('main').innerText();
    assert.match(main, /Просмотров за период: [1-9]/);
    assert.match(main, /\/cabinet\/consents/);
    assert.match(main, /127\.0\.0\.0\/24/, 'the network');
    assert.doesNotMatch(main, /\b127\.0\.0\.1\b/, 'never an address itself');
    await everyWidth(admin, 'statistics');
  });
});
