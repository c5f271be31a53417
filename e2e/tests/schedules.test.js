// Issue 11, point 6 in the browser: the administrator adds a vacation over the day of a booked
// visit; the schedule page lists the visit it hits (patient, phone, time) instead of dropping
// it; the registrar finds it under «Перенос записей», moves it to another free time with a
// reason, and the patient's letter arrives with the reason and the new time. axe-core finds
// nothing on the new pages at 1280 and 390 px.
//
// It needs an administrator, whom a database allows once, so it runs on a clinic of its own
// (clinic.js).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { checkA11y, launch, navigateBy, open } from './helpers.js';
import { waitForLetter } from './mail.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 4; // this file's digit in the phones it books with
const STORY = 'a vacation that hits a booked visit: listed, moved, the patient told';

/** The day of Unix `seconds` in Moscow (UTC+3 all year), as a date field takes it. */
function moscowDay(seconds) {
  return new Date((seconds + 3 * 3600) * 1000).toISOString().slice(0, 10);
}

/** At 1280 and 390 px: nothing scrolls sideways and axe-core finds nothing. Ends at 1280 px. */
async function everyWidth(page, name) {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    await page.setViewportSize({ width, height });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `${name} fits ${width} px (${wide} px wide)`);
    await checkA11y(page, `${name} at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
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
    const adminPage = clinic.admin.page;
    const regPage = clinic.registrar.page;
    const { specialist, patientId, visitId } = clinic;

    // The patient's visit, as the patient's card shows it.
    await open(regPage, `/staff/patients/${patientId}`);
    const card = await regPage.locator('main').innerText();
    const patientName = card.match(/Белова|Смирнова/)?.[0];
    assert.ok(patientName, card);
    const move = regPage.locator(`a[href="/staff/patients/${patientId}/visits/${visitId}/move"]`);
    assert.equal(await move.count(), 1, 'the card offers to move any planned visit');

    // The administrator's schedule page speaks words, and a vacation over the visit's day.
    await open(adminPage, '/staff/schedules');
    await everyWidth(adminPage, 'schedules');
    await navigateBy(adminPage, () =>
      adminPage.locator(`a[href="/staff/schedules/${specialist.id}"]`).click(),
    );
    const sheet = await adminPage.locator('main').innerText();
    assert.match(sheet, /до дальнейших изменений/, sheet);
    assert.match(sheet, /(Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье), \d\d:\d\d–\d\d:\d\d/);
    await everyWidth(adminPage, 'schedule');

    const visitSlot = specialist.slots.find((s) => s.start >= Date.now() / 1000 + 3 * 3600);
    const day = moscowDay(visitSlot.start);
    await adminPage.locator('#kind').selectOption('vacation');
    await adminPage.locator('#from').fill(day);
    await press(adminPage, 'Добавить исключение');
    const after = await adminPage.locator('main').innerText();
    const typed = day.split('-').reverse().join('.');
    assert.ok(after.includes(`Отпуск: ${typed}`), after);
    const hit = adminPage.getByRole('status');
    assert.match(await hit.innerText(), /Записи, которые задело изменение/);
    assert.ok((await hit.innerText()).includes(patientName), 'the hit visit names the patient');
    await everyWidth(adminPage, 'schedule with a visit to move');

    // The registrar's list: patient, phone, time.
    await open(regPage, '/staff/moves');
    const list = await regPage.locator('main').innerText();
    assert.ok(list.includes(patientName), list);
    assert.match(list, /\+7 \d{3} \d{3}-\d\d-\d\d/, 'the phone as people write it');
    await everyWidth(regPage, 'visits to move');

    await navigateBy(regPage, () =>
      regPage.locator(`a[href="/staff/patients/${patientId}/visits/${visitId}/move"]`).click(),
    );
    await everyWidth(regPage, 'move a visit');
    // No reason: refused in words, nothing moves.
    await regPage.locator('input[name="start"]').first().check();
    await press(regPage, 'Перенести запись');
    assert.match(await regPage.locator('main').innerText(), /Напишите причину/);
    const newTime = await regPage.locator('input[name="start"]').first().evaluate(
      (input) => document.querySelector(`label[for="${input.id}"]`).innerText,
    );
    await regPage.locator('input[name="start"]').first().check();
    await regPage.locator('#move-reason').fill('Врач в отпуске');
    await press(regPage, 'Перенести запись');
    assert.match(regPage.url(), new RegExp(`/staff/patients/${patientId}$`));

    // The patient's letter: the reason and the new time.
    const login = (await regPage.locator('main').innerText()).match(/\S+@example\.ru/)?.[0];
    assert.ok(login, 'the card shows the login');
    const letter = await waitForLetter(login, 'Запись на приём перенесена', 0, 30_000, clinic.server.maildir);
    assert.match(letter.body, /Причина: Врач в отпуске/, letter.body);
    const [date, time] = newTime.split(/,\s*/).slice(-2);
    assert.ok(letter.body.includes(time.trim()), `${newTime} in:\n${letter.body}`);
    assert.ok(date, newTime);

    // The list is empty again.
    await open(regPage, '/staff/moves');
    assert.match(await regPage.locator('main').innerText(), /Таких записей нет/);
  });
});
