// Legal representatives (A8) and profile changes with documents (K4) in the browser, on a
// clinic of its own: the registrar records the clinic patient's child from the patient's card
// with the basis and the birth certificate (its number masked), the patient switches into the
// child's cabinet and back, the registrar completes the patient's pending change request only
// after recording the passport seen, and the auditor reads what the representative did in
// words. axe-core on every new page at 1280 and 390 px, in Russian and English.
// KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { everyWidth, launch, open } from './helpers.js';
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

describe('a parent acts for a child after the registrar checked the documents', { skip: OWN_SERVER_SKIP }, () => {
  let childId;

  test('the registrar records the child from the parent’s card, the number masked', async () => {
    const page = clinic.registrar.page;
    await open(page, `/staff/patients/${clinic.patientId}`);
    await page.getByRole('link', { name: 'Связать с представителем или завершить связь' }).click();
    await page.waitForURL(/\/representatives$/);
    await everyWidth(page, 'staff-representatives');
    // Without a number the form comes back with the error beside the field.
    await page.locator('#child-last_name').fill('Белов');
    await page.locator('#child-first_name').fill('Миша');
    await page.locator('#child-birth_date').fill('2019-03-14');
    await page.locator('#child-basis').selectOption('parent');
    await page.locator('#child-document-kind').selectOption('birth_certificate');
    await page.locator('#child-document-number').fill('12');
    await press(page, 'Документы проверены — записать и связать');
    assert.match(await page.locator('#child-document-number-error').innerText(), /от 4 до 30/);
    assert.equal(await page.locator('#child-first_name').inputValue(), 'Миша', 'what was typed stays');
    await everyWidth(page, 'staff-representatives-errors', { here: true });
    await page.locator('#child-document-number').fill('IV-МЮ 512345');
    await press(page, 'Документы проверены — записать и связать');
    const url = page.url();
    assert.match(url, /\/staff\/patients\/\d+$/, url);
    childId = Number(url.match(/(\d+)$/)[1]);
    const card = await page.locator('main').innerText();
    assert.match(card, /свидетельство о рождении •••• 2345/);
    assert.ok(!card.includes('512345'), 'the number is masked on the card');
  });

  test('the parent switches into the child’s cabinet and back', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet');
    await page.locator('#act-for-patient').selectOption(String(childId));
    await press(page, 'Перейти');
    assert.match(await page.locator('#acting-for').innerText(), /Вы действуете за: Белов Миша/);
    await everyWidth(page, 'cabinet-acting');
    await open(page, '/cabinet/profile');
    assert.match(await page.locator('main').innerText(), /14 марта 2019/);
    await page.locator('#act-for-patient').selectOption({ label: 'Мой кабинет' });
    await press(page, 'Перейти');
    assert.equal(await page.locator('#acting-for').count(), 0, 'back in the own cabinet');
  });

  test('the registrar completes a change only with the identity document seen', async () => {
    const page = clinic.registrar.page;
    await open(page, '/staff/requests');
    await everyWidth(page, 'staff-requests-document');
    const request = page.locator('article.request').first();
    await request.locator('select[name="document_kind"]').selectOption('passport_rf');
    await request.locator('input[name="document_number"]').fill('45');
    await press(page, 'Документы проверены — внести изменения');
    assert.match(await page.locator('main').innerText(), /Номер документа: от 4 до 30/);
    await everyWidth(page, 'staff-requests-document-errors', { here: true });
    await page.locator('article.request input[name="document_number"]').first().fill('4509 123456');
    await press(page, 'Документы проверены — внести изменения');
    assert.match(page.url(), /\/staff\/requests$/);
  });

  test('the auditor reads the link and the change in words, without the numbers', async () => {
    const page = clinic.registrar.page;
    await open(page, `/staff/audit?patient=${clinic.patientId}`);
    const log = await page.locator('main').innerText();
    assert.match(log, /Фамилия: Белова → Смирнова/);
    assert.match(log, /Предъявлен документ: паспорт РФ/);
    assert.ok(!log.includes('123456') && !log.includes('512345'), 'no document number');
    await open(page, `/staff/audit?patient=${childId}`);
    assert.match(await page.locator('main').innerText(), /Регистратор связал законного представителя/);
  });
});
