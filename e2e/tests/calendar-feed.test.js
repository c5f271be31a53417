// The private calendar feed (B8) in the browser: a registered patient with a visit makes the
// feed on the cabinet's calendar page, sees its address once (webcal:// to subscribe, https://
// to copy), a calendar downloads the feed without the patient's cookies and python's icalendar
// reads the visit in it, the page later shows only that a feed is live; the patient asks for
// the specialist in the events, switches reminders before visits off, then revokes the feed,
// whose address answers 404 from then on.
// axe-core on every state of the page at 1280 and 390 px, in Russian and English.
// KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { patientSignIn, press } from './clinic.js';
import {
  acceptedContext,
  bookableSpecialist,
  checkA11y,
  clickSlot,
  everyWidth,
  launch,
  navigateBy,
  open,
  phoneForms,
  uniquePhone,
} from './helpers.js';
import { linkIn, waitForLetter } from './mail.js';

const FILE = 2; // this file's digit in the phones it registers with
const WHICH = 13; // this file's specialist (see bookableSpecialist)
const PASSWORD = 'лиловый дирижабль над рекой';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** What python's icalendar reads in a feed: [{ uid, status, summary }], or a failure. */
function parseFeed(text) {
  const script = `
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
problems = [(c.name, c.errors) for c in cal.walk() if c.errors]
assert not problems, problems
print(json.dumps([{"uid": str(e["UID"]), "status": str(e["STATUS"]), "summary": str(e["SUMMARY"])}
                  for e in cal.walk("VEVENT")]))
`;
  const out = execFileSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' });
  return JSON.parse(out);
}

/** A calendar's request: no cookies of the patient's browser. */
async function calendarGet(url) {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('a patient subscribes a calendar to their visits and revokes it', () => {
  let context;
  let page;
  let specialist;
  let feedUrl;
  const login = `feed.${Date.now()}@example.ru`;
  const phone = phoneForms(uniquePhone(FILE)).plus;

  before(async () => {
    context = await acceptedContext(browser);
    page = await context.newPage();
    specialist = await bookableSpecialist(context, WHICH, 2);
  });

  after(async () => {
    await context?.close();
  });

  test('a registered patient books a visit', async () => {
    await open(page, '/register');
    await page.locator('#last_name').fill('Лебедева');
    await page.locator('#first_name').fill('Вера');
    await page.locator('#middle_name').fill('Андреевна');
    await page.locator('#birth_date').fill('1988-06-15');
    await page.locator('#phone').fill(phone);
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_repeat').fill(PASSWORD);
    await page.locator('#consent_personal_data').check();
    await page.locator('#consent_health_data').check();
    await page.locator('#accept_rules').check();
    await press(page, 'Зарегистрироваться');
    const letter = await waitForLetter(login, 'Подтвердите адрес почты');
    await page.goto(linkIn(letter, '/account/confirm?token='));
    await press(page, 'Подтвердить адрес');
    await patientSignIn(page, login, PASSWORD);
    assert.match(page.url(), /\/cabinet$/);

    const slot = specialist.slots.filter((s) => s.start >= Date.now() / 1000 + 24 * 3600)[0];
    assert.ok(slot, 'a free time a day ahead');
    await open(page, `/specialists/${specialist.id}`);
    await clickSlot(page, slot);
    await press(page, 'Записаться');
    await page.getByText('Вы записаны.').waitFor();
  });

  test('the calendar tab offers a subscription', async () => {
    await navigateBy(page, () => page.getByRole('link', { name: 'Календарь', exact: true }).click());
    assert.match(page.url(), /\/cabinet\/calendar$/);
    await page.getByRole('heading', { name: 'Подписка на календарь' }).waitFor();
    await page.getByText('Подписка не подключена.', { exact: true }).waitFor();
    assert.equal(await page.locator('#feed-url').count(), 0, 'no address yet');
    await everyWidth(page, 'calendar-none');
  });

  test('subscribing shows the address once, as webcal:// and https://', async () => {
    await press(page, 'Подключить календарь');
    await page.getByText('Подписка подключена.', { exact: true }).waitFor();
    await page.getByText('Адрес показан один раз', { exact: false }).waitFor();
    feedUrl = (await page.locator('#feed-url').innerText()).trim();
    assert.match(feedUrl, /^https?:\/\/[^/]+\/calendar\/[0-9a-f]{32}\.ics$/);
    const webcal = await page.getByRole('link', { name: 'Подписаться в календаре' }).getAttribute('href');
    assert.equal(webcal, feedUrl.replace(/^https?:/, 'webcal:'));
    await everyWidth(page, 'calendar-address', { here: true });
  });

  test('a calendar downloads the feed with the visit, neutral by default', async () => {
    const feed = await calendarGet(feedUrl);
    assert.equal(feed.status, 200);
    assert.equal(feed.type, 'text/calendar; charset=utf-8');
    const events = parseFeed(feed.text);
    assert.equal(events.length, 1, feed.text);
    assert.equal(events[0].status, 'CONFIRMED');
    assert.equal(events[0].summary, 'Приём в клинике «Ясень»');
    assert.ok(!feed.text.includes(specialist.name.split(' ')[0]), 'no doctor by default');
  });

  test('later the page says a feed is live and never shows its address again', async () => {
    await open(page, '/cabinet/calendar');
    await page.getByText(/Подписка подключена \d+/).waitFor();
    await page.getByText(/Календарь обновлялся/).waitFor();
    assert.equal(await page.locator('#feed-url').count(), 0, 'the address is shown once');
    assert.ok(!(await page.content()).includes(feedUrl), 'nowhere on the page');
    await everyWidth(page, 'calendar-live');
  });

  test('the patient asks for the specialist in the events', async () => {
    await page.getByLabel('Показывать в календаре специалиста и услугу').check();
    await press(page, 'Сохранить');
    await page.getByText('Настройка сохранена.', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Показывать в календаре специалиста и услугу').isChecked(), true);
    const events = parseFeed((await calendarGet(feedUrl)).text);
    assert.equal(events[0].summary, `Приём: ${specialist.name}`);
  });

  test('the patient switches reminders before visits off', async () => {
    const box = page.getByLabel('Присылать напоминание на электронную почту перед каждым приёмом');
    assert.equal(await box.isChecked(), true, 'on by default');
    await box.uncheck();
    await press(page, 'Сохранить напоминания');
    await page.getByText('Настройка напоминаний сохранена.', { exact: true }).waitFor();
    assert.equal(await box.isChecked(), false);
    await everyWidth(page, 'calendar-reminders');
  });

  test('revoking stops the address at once', async () => {
    await press(page, 'Отключить');
    await page.getByText('Подписка отключена', { exact: false }).waitFor();
    await page.getByText('Подписка не подключена.', { exact: true }).waitFor();
    const gone = await calendarGet(feedUrl);
    assert.equal(gone.status, 404);
    assert.ok(!gone.text.includes('VCALENDAR'));
    await checkA11y(page, 'the calendar page after revoking');
  });
});
