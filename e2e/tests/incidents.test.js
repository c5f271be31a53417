// Issue 13, point 5 in the browser, on a clinic of its own: the administrator records an
// incident touching everyone with a visit in a period, counts the patients before saving,
// and saves; the patient finds the neutral notice in the cabinet; the incident's page shows
// the deadlines of the two notices to Roskomnadzor, the 24-hour notice opens as a printable
// document and is marked sent. axe-core on every new page at 1280 and 390 px, in Russian and
// English. KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

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

/** `YYYY-MM-DD` of a date `days` from today. */
function day(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

describe('an incident is recorded, its patients told, its notices tracked', { skip: OWN_SERVER_SKIP }, () => {
  test('the administrator records an incident by a period of visits', async () => {
    const page = clinic.admin.page;
    await open(page, '/staff/incidents');
    await everyWidth(page, 'incidents');
    await navigateBy(page, () => page.getByRole('link', { name: 'Зарегистрировать инцидент' }).click());
    await everyWidth(page, 'incident-form');
    await page.locator('#summary').fill('Список записей выгружен в открытую папку');
    await page.locator('#category-full_name').check();
    await page.locator('#category-visits').check();
    await page.locator('#causes').fill('Ошибка настройки доступа');
    await page.locator('#harm').fill('Посторонние могли увидеть ФИО и время приёма');
    await page.locator('#measures').fill('Доступ закрыт');
    await page.locator('#contact').fill('Орлова В. Н., +7 495 555-01-00');
    await page.locator('#selection-visits').check();
    await page.locator('#from').fill(day(-1));
    await page.locator('#to').fill(day(40));
    await press(page, 'Посчитать пациентов');
    assert.match(await page.locator('#incident-preview').innerText(), /Найден 1 пациент/);
    await press(page, 'Сохранить и уведомить пациентов');
    assert.match(page.url(), /\/staff\/incidents\/\d+$/);
    assert.match(await page.locator('#incident-patients').innerText(), /1 пациент/);
    assert.match(await page.locator('#notice-24').innerText(), /срок —/);
    await everyWidth(page, 'incident');
  });

  test('the patient finds the neutral notice in the cabinet', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet/messages');
    assert.match(await page.locator('main').innerText(), /Уведомление о безопасности персональных данных/);
  });

  test('the 24-hour notice is a printable document and is marked sent', async () => {
    const page = clinic.admin.page;
    await navigateBy(page, () => page.getByRole('link', { name: 'Уведомление в течение 24 часов' }).click());
    assert.match(await page.locator('h1').innerText(), /Уведомление о факте неправомерной передачи/);
    assert.match(await page.locator('main').innerText(), /Ошибка настройки доступа/);
    await everyWidth(page, 'incident-notice-24');
    await navigateBy(page, () => page.getByRole('link', { name: 'Вернуться к инциденту' }).click());
    await navigateBy(page, () => page.locator('#notice-24').getByRole('button', { name: 'Отметить отправленным' }).click());
    assert.match(await page.locator('#notice-24').innerText(), /отправлено/);
    await open(page, '/staff');
    assert.match(await page.locator('#open-notices').innerText(), /Уведомление в течение 72 часов/);
    await everyWidth(page, 'staff-home-open-notices');
  });
});
