// Issue 13, points 2 and 9 in the browser, on a clinic of its own: the registrar blocks the
// patient's personal data from the card (a missing basis comes back next to its field, the
// text typed kept); the patient's booking is refused with the reason and the clinic's phone;
// the administrator (the responsible officer) lifts the block with a reason; then the
// registrar suspends the patient with a reason, which the patient reads on the sign-in page
// after the right password. axe-core on every new page at 1280 and 390 px, in Russian and
// English. KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { newPerson, openClinic, press } from './clinic.js';
import { everyWidth, laterSlot, launch, navigateBy, open } from './helpers.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 5; // this file's digit in the phones of its clinic (a server of its own)

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

describe('blocking of personal data and a suspension with a reason', { skip: OWN_SERVER_SKIP }, () => {
  test('the registrar blocks the data on an authority’s request', async () => {
    const page = clinic.registrar.page;
    await open(page, `/staff/patients/${clinic.patientId}`);
    await navigateBy(page, () => page.getByRole('link', { name: 'Заблокировать персональные данные' }).click());
    await page.locator('#requested_by-authority').check();
    await page.locator('#authority').fill('Роскомнадзор');
    await page.locator('#document_type').fill('Запрос');
    await page.locator('#document_ref').fill('№ 08-1234');
    await page.locator('#document_date').fill('2026-11-20');
    await press(page, 'Заблокировать данные');
    assert.match(await page.locator('#basis-error').innerText(), /Укажите основание блокировки/);
    assert.equal(await page.locator('#authority').inputValue(), 'Роскомнадзор', 'the form keeps input');
    await everyWidth(page, 'data-block-form');
    // The language switch of everyWidth reloads the page: the form again, in full.
    await page.locator('#requested_by-authority').check();
    await page.locator('#authority').fill('Роскомнадзор');
    await page.locator('#document_type').fill('Запрос');
    await page.locator('#document_ref').fill('№ 08-1234');
    await page.locator('#document_date').fill('2026-11-20');
    await page.locator('#basis').fill('Запрос о проверке достоверности сведений');
    await press(page, 'Заблокировать данные');
    // The registrar here also holds the auditor grant, so the card still opens.
    assert.match(await page.locator('#data-blocked').innerText(), /Данные заблокированы с/);
    assert.match(await page.locator('main').innerText(), /Запрос о проверке достоверности сведений/);
  });

  test('the patient’s booking is refused with the clinic’s phone', async () => {
    const page = clinic.patient.page;
    // The booking page says so before a time is taken.
    await open(page, laterSlot(clinic.specialist, 1).href);
    assert.match(await page.locator('main').innerText(), /Обработка ваших персональных данных заблокирована/);
  });

  test('the administrator lifts the block with a reason', async () => {
    const page = clinic.admin.page;
    await open(page, `/staff/patients/${clinic.patientId}`);
    await navigateBy(page, () => page.getByRole('link', { name: 'Снять блокировку данных' }).click());
    await press(page, 'Снять блокировку');
    assert.match(await page.locator('#reason-error').innerText(), /почему блокировка снимается/);
    await everyWidth(page, 'data-unblock-form');
    await page.locator('#reason').fill('Проверка завершена, сведения подтверждены');
    await press(page, 'Снять блокировку');
    assert.match(await page.locator('main').innerText(), /Данные не заблокированы/);
    assert.match(await page.locator('main').innerText(), /Блокировка снята/);
    await everyWidth(page, 'patient-card-after-unblock');
  });

  test('a suspension’s reason is read on the sign-in page after the right password', async () => {
    const page = clinic.registrar.page;
    await open(page, `/staff/patients/${clinic.patientId}`);
    await navigateBy(page, () => page.getByRole('link', { name: 'Приостановить доступ' }).click());
    await everyWidth(page, 'suspend-form');
    await page.locator('#reason').fill('Паспортные данные не совпадают с картой');
    await press(page, 'Приостановить доступ');
    assert.match(await page.locator('#closure-reason').innerText(), /Паспортные данные не совпадают/);

    const patient = clinic.patient.page;
    const person = newPerson(FILE, 1);
    await open(patient, '/login');
    await patient.locator('#login').fill(person.login);
    await patient.locator('#password').fill('совсем не тот пароль');
    await press(patient, 'Войти');
    assert.doesNotMatch(await patient.locator('main').innerText(), /Паспортные/);
    await patient.locator('#password').fill(person.password);
    await press(patient, 'Войти');
    assert.match(await patient.locator('main').innerText(), /Доступ к личному кабинету приостановлен/);
    assert.match(await patient.locator('#access-closed-details').innerText(), /Причина: Паспортные данные не совпадают с картой/);
    await everyWidth(patient, 'login-suspended', { here: true });
  });
});
