// The patient's account in the browser: registration, the link in the e-mail (delivered over
// SMTP to a real server on loopback), sign-in, booking a slot, the .ics file (parsed by
// python's icalendar), the printed list (a PDF from Chromium), moving and cancelling the visit,
// and the report of lost credentials followed by a new password. axe-core checks every page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import {
  acceptedContext,
  bookableSpecialist,
  checkA11y,
  clickSlot,
  launch,
  navigateBy,
  open,
  phoneForms,
  uniquePhone,
} from './helpers.js';
import { linkIn, waitForLetter } from './mail.js';

const FILE = 5; // this file's digit in the phones it registers with
const WHICH = 6; // this file's specialist (see bookableSpecialist)
const PASSWORD = 'лиловый дирижабль над рекой';
const NEW_PASSWORD = 'осенний ветер в сосновом лесу';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Clicks a button by its exact name and waits for the page it leads to. */
async function press(page, name) {
  return navigateBy(page, () => page.getByRole('button', { name, exact: true }).click());
}

/** Signs in by the form; returns the response of the page it ends on. */
async function signIn(page, login, password) {
  await open(page, '/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  return press(page, 'Войти');
}

/** A slot at least a day ahead, so that the visit may still be moved and cancelled online. */
function dayAheadSlot(specialist, nth = 0) {
  const later = specialist.slots.filter((s) => s.start >= Date.now() / 1000 + 24 * 3600);
  assert.ok(later.length > nth, `specialist ${specialist.id} has free slots a day ahead`);
  return later[nth];
}

/** What python's icalendar reads in an .ics file: the summary and the start, or a failure. */
function parseIcs(text) {
  const script = `
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
event = next(iter(cal.walk("VEVENT")))
print(event["SUMMARY"]); print(event.decoded("DTSTART").isoformat())
`;
  const out = execFileSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' });
  const [summary, start] = out.trim().split('\n');
  return { summary, start };
}

describe('a patient registers online, books, moves and cancels a visit', () => {
  let context;
  let page;
  let specialist;
  const login = `anna.${Date.now()}@example.ru`;
  const phone = phoneForms(uniquePhone(FILE)).plus;

  before(async () => {
    context = await acceptedContext(browser);
    page = await context.newPage();
    specialist = await bookableSpecialist(context, WHICH, 4);
  });

  after(async () => {
    await context?.close();
  });

  /**
   * The letter of the patient's own change (N2): a neutral subject, and in the body, which
   * names no doctor (medical secrecy), the date and time (`start` when known), the branch's address and phone, and a
   * link to the cabinet.
   */
  async function expectVisitLetter(subject, start) {
    const letter = await waitForLetter(login, subject);
    assert.ok(!letter.subject.includes(specialist.name.split(' ')[0]), 'no doctor in the subject');
    assert.ok(!letter.body.includes(specialist.name.split(' ')[0]), `no doctor in the body (medical secrecy):\n${letter.body}`);
    assert.match(letter.body, /Филиал: .+, .+/, 'the branch and its address');
    assert.match(letter.body, /Телефон филиала: \+7/, "the branch's phone");
    linkIn(letter, '/cabinet');
    if (start) {
      const when = new Intl.DateTimeFormat('ru-RU', {
        timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric',
        hour: '2-digit', minute: '2-digit',
      }).format(new Date(start * 1000));
      assert.ok(letter.body.includes(`Дата и время: ${when}`), `${when} in:\n${letter.body}`);
    }
    return letter;
  }

  test('registration keeps what was typed on an error, then asks to check the mail', async () => {
    await open(page, '/register');
    await checkA11y(page, 'the registration form');
    await page.locator('#last_name').fill('Соколова');
    await page.locator('#first_name').fill('Анна');
    await page.locator('#middle_name').fill('Павловна');
    await page.locator('#birth_date').fill('1990-02-03');
    await page.locator('#phone').fill(phone);
    await page.locator('#login').fill(login);
    await page.locator('#password').fill('qwerty');
    await page.locator('#password_repeat').fill('qwerty');
    const refused = await press(page, 'Зарегистрироваться');
    assert.equal(refused.status(), 422);
    // The field's own message (the error summary above the form says it too, in a link).
    await page.getByText('Пароль должен быть не короче 10 символов.', { exact: true }).waitFor();
    const consent = 'Без согласия на обработку персональных данных зарегистрироваться нельзя.';
    await page.getByText(consent, { exact: true }).waitFor();
    assert.equal(await page.locator('#login').inputValue(), login, 'the login stays');
    assert.equal(await page.locator('#last_name').inputValue(), 'Соколова');
    await checkA11y(page, 'the registration form with errors');

    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_repeat').fill(PASSWORD);
    await page.locator('#consent_personal_data').check();
    await page.locator('#consent_health_data').check();
    await page.locator('#accept_rules').check();
    await press(page, 'Зарегистрироваться');
    assert.match(page.url(), /\/register\/sent$/);
    await page.getByRole('heading', { name: 'Проверьте почту' }).waitFor();
    await checkA11y(page, 'the registration sent page');
  });

  test('the link in the e-mail confirms the address after one click', async () => {
    const letter = await waitForLetter(login, 'Подтвердите адрес почты');
    assert.ok(!letter.subject.includes('Соколова'), 'no name in the subject');
    await page.goto(linkIn(letter, '/account/confirm?token='));
    await checkA11y(page, 'the confirmation page');
    await press(page, 'Подтвердить адрес');
    await page.getByText('Адрес подтверждён').waitFor();
  });

  test('sign-in opens the cabinet with the welcome message unread', async () => {
    const wrong = await signIn(page, login, 'не тот пароль совсем');
    assert.equal(wrong.status(), 401);
    await page.getByText('Неверный логин или пароль.').waitFor();
    await checkA11y(page, 'the sign-in form with an error');
    await signIn(page, login, PASSWORD);
    assert.match(page.url(), /\/cabinet$/);
    await page.getByText('Здравствуйте, Анна Павловна!').waitFor();
    await page.getByText('Предстоящих записей нет.').waitFor();
    await checkA11y(page, 'the empty cabinet');
    await navigateBy(page, () => page.getByRole('link', { name: /Сообщения/ }).click());
    await navigateBy(page, () => page.getByRole('link', { name: /Добро пожаловать/ }).click());
    await page.getByRole('heading', { name: 'Добро пожаловать в личный кабинет' }).waitFor();
    await checkA11y(page, 'a message');
  });

  test('a slot on the specialist page books in one click', async () => {
    const slot = dayAheadSlot(specialist);
    await open(page, `/specialists/${specialist.id}`);
    await clickSlot(page, slot);
    assert.equal(await page.locator('#last_name').count(), 0, 'no personal data typed again');
    await checkA11y(page, 'the one-click booking');
    await press(page, 'Записаться');
    await page.getByText('Вы записаны.').waitFor();
    const row = page.locator('table.visits tbody tr');
    assert.equal(await row.count(), 1);
    assert.ok((await row.innerText()).includes(specialist.name), 'the visit shows the specialist');
    await checkA11y(page, 'the cabinet with a visit');
    await expectVisitLetter('Вы записаны на приём', slot.start);
  });

  test('the visit downloads as an .ics that icalendar parses', async () => {
    const href = await page.getByRole('link', { name: 'В календарь (.ics)' }).getAttribute('href');
    const response = await context.request.get(href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/calendar/);
    const event = parseIcs(await response.text());
    assert.ok(event.start.length > 0, 'the event has a start');
  });

  test('the list of planned visits prints without the site around it', async () => {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.tabs').isVisible(), false, 'no tabs on paper');
    assert.equal(await page.locator('.site-header').isVisible(), false, 'no header on paper');
    assert.equal(await page.locator('table.visits').isVisible(), true, 'the visits are printed');
    const pdf = await page.pdf({ format: 'A4' });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'Chromium printed a PDF');
    await page.emulateMedia({ media: 'screen' });
  });

  test('the visit moves to another free time', async () => {
    const before = await page.locator('table.visits tbody tr td').first().innerText();
    await navigateBy(page, () => page.getByRole('link', { name: 'Перенести', exact: true }).click());
    await checkA11y(page, 'the move page');
    let choices = page.getByRole('button', { name: /^Перенести на / });
    if ((await choices.count()) === 0) {
      await navigateBy(page, () => page.locator('nav.week-nav a').last().click());
      choices = page.getByRole('button', { name: /^Перенести на / });
    }
    const later = choices.last();
    await navigateBy(page, () => later.click());
    await checkA11y(page, 'the new time to confirm');
    await press(page, 'Перенести запись');
    await page.getByText('Запись перенесена.').waitFor();
    const after = await page.locator('table.visits tbody tr td').first().innerText();
    assert.notEqual(after, before, 'the visit has a new time');
    const letter = await expectVisitLetter('Запись на приём перенесена');
    assert.match(letter.body, /Было: \d\d\.\d\d\.\d{4}, \d\d:\d\d/, 'the old time is told');
  });

  test('the visit is cancelled after a confirmation', async () => {
    await navigateBy(page, () => page.getByRole('link', { name: 'Отменить', exact: true }).click());
    await checkA11y(page, 'the cancel page');
    await press(page, 'Отменить запись');
    await page.getByText('Запись отменена.').waitFor();
    await page.getByText('Предстоящих записей нет.').waitFor();
    await expectVisitLetter('Запись на приём отменена');
  });

  test('lost credentials: a stranger\'s report only writes to the owner, who blocks access and sets a new password', async () => {
    await navigateBy(page, () => page.getByRole('link', { name: 'Безопасность' }).click());
    await checkA11y(page, 'the security page');
    await page.getByText('Этот сеанс').waitFor();

    const stranger = await acceptedContext(browser);
    const lost = await stranger.newPage();
    await open(lost, '/account/lost');
    await checkA11y(lost, 'the lost credentials form');
    await lost.locator('#login').fill(login);
    await press(lost, 'Отправить письмо');
    await lost.getByText('Пока вы не откроете ссылку, ничего не меняется').waitFor();
    await stranger.close();

    await open(page, '/cabinet');
    assert.match(page.url(), /\/cabinet$/, 'a report from the public form changes nothing yet');

    const report = await waitForLetter(login, 'Сообщение об утрате данных для входа');
    const owner = await acceptedContext(browser);
    const block = await owner.newPage();
    await block.goto(linkIn(report, '/account/block?token='));
    await checkA11y(block, 'the page that blocks access');
    await press(block, 'Заблокировать доступ');
    await block.getByText('Доступ заблокирован').waitFor();
    await owner.close();

    await open(page, '/cabinet');
    assert.match(page.url(), /\/login\?next=/, 'the session in this browser ended');
    const refused = await signIn(page, login, PASSWORD);
    assert.equal(refused.status(), 401, 'the old password is closed');

    const letter = await waitForLetter(login, 'Доступ к личному кабинету заблокирован');
    await page.goto(linkIn(letter, '/account/reset?token='));
    await checkA11y(page, 'the new password form');
    await page.locator('#password').fill(NEW_PASSWORD);
    await page.locator('#password_repeat').fill(NEW_PASSWORD);
    await press(page, 'Сохранить пароль');
    await page.getByText('Пароль сохранён.').waitFor();
    await signIn(page, login, NEW_PASSWORD);
    assert.match(page.url(), /\/cabinet$/);
  });
});
