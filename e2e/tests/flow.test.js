// Issue 10, points 5 and 7, in the browser: the booking flow says what happens, and the small
// texts read right. In Russian and in English, at 1280 px and at 390 px (a phone), with
// axe-core on every page touched:
// - Back after booking (and the same form sent again) shows «Вы уже записаны» with the visit,
//   never «Это время уже занято», and only to the browser that booked; «слот» is nowhere;
// - a phone that made its one-time booking is told plainly to register or sign in, with links;
// - the specialist's page says how far ahead booking is open; the header offers registration;
// - the confirmed address leads to «Войти»; the cabinet counts unread messages in words, hides
//   «Записаться ещё» at the visit limit and says why; moving a visit asks to confirm old → new
//   (without JavaScript too); the security page names devices («Chrome на Linux»), ends one
//   other session, and «Выйти на всех устройствах» lands on a page that says it worked;
// - the favicon, the rules' version said once, the cookie-decline page without a stray link,
//   a registration form that does not talk about booking.
//
// With SHOTS_DIR set, every page looked at is saved there at both widths (before/after
// screenshots of the issue; they are not committed).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import {
  acceptedContext,
  bookableSpecialist,
  checkA11y,
  clickSlot,
  fillBooking,
  laterSlot,
  launch,
  navigateBy,
  open,
  patient,
  phoneForms,
  uniquePhone,
} from './helpers.js';
import { linkIn, waitForLetter } from './mail.js';

const FILE = 8; // this file's digit in the phones it books and registers with
const WHICH = 9; // this file's specialist for one-time bookings (see bookableSpecialist)
const CABINET_WHICH = 11; // and for the cabinet's visits
const PASSWORD = 'тихая гавань за старым маяком';
const FIREFOX_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';

/** What each language says (crates/web/locales). */
const T = {
  ru: {
    book: 'Записаться',
    doneTitle: 'Вы записаны',
    yours: 'Вы уже записаны',
    openConfirmation: 'Открыть подтверждение записи',
    taken: 'Это время уже занято',
    oneTimeUsed: 'С этого номера телефона уже сделана разовая онлайн-запись',
    oneTimeNext: 'Чтобы записаться ещё раз, зарегистрируйтесь в личном кабинете',
    oneTimeRegister: 'Зарегистрироваться',
    oneTimeLogin: 'Войти в личный кабинет',
    window: 'Запись открыта на 4 недели вперёд.',
    headerRegister: 'Регистрация',
    signIn: 'Войти',
    version: /Версия 1\b/g,
    slotWord: /слот/i,
    bookingWord: /записаться/i,
    agree: 'Я согласен(на) получать звонки',
    registered: 'Адрес подтверждён',
    unreadOne: '1 непрочитанное',
    myVisits: 'Мои записи',
    limit: 'Записаться ещё нельзя',
    bookMore: 'Записаться ещё',
    move: 'Перенести',
    moveTo: /^Перенести на /,
    confirmMove: 'Подтвердите новое время',
    was: 'Было',
    willBe: 'Станет',
    moveSubmit: 'Перенести запись',
    moved: 'Запись перенесена.',
    thisDevice: 'Chrome на Linux',
    otherDevice: 'Firefox на Windows',
    endOne: 'Завершить сеанс',
    ended: 'Сеанс завершён',
    endAll: 'Выйти на всех устройствах',
    endedAll: 'Вы вышли на всех устройствах',
  },
  en: {
    book: 'Book',
    doneTitle: 'You are booked',
    yours: 'You are already booked',
    openConfirmation: 'Open the booking confirmation',
    taken: 'This time is already taken',
    oneTimeUsed: 'A one-time online booking has already been made with this phone number',
    oneTimeNext: 'To book again, register for a patient account',
    oneTimeRegister: 'Register',
    oneTimeLogin: 'Sign in to your account',
    window: 'Booking is open 4 weeks ahead.',
    headerRegister: 'Register',
    signIn: 'Sign in',
    version: /Version 1\b/g,
    slotWord: /\bslots?\b/i,
    bookingWord: /cannot book|can book/i,
    agree: 'I agree to receive calls',
    registered: 'Your address is confirmed',
    unreadOne: '1 unread',
    myVisits: 'My visits',
    limit: 'You cannot book another visit',
    bookMore: 'Book another visit',
    move: 'Move',
    moveTo: /^Move to /,
    confirmMove: 'Confirm the new time',
    was: 'Was',
    willBe: 'Will be',
    moveSubmit: 'Move the visit',
    moved: 'The visit is moved.',
    thisDevice: 'Chrome on Linux',
    otherDevice: 'Firefox on Windows',
    endOne: 'End session',
    ended: 'The session has ended',
    endAll: 'Sign out everywhere',
    endedAll: 'You have signed out everywhere',
  },
};

const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];
const SHOTS = process.env.SHOTS_DIR;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Saves the page at both widths (when SHOTS_DIR is set), before anything is asserted. */
async function shoot(page, name) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${size.width}.png`, fullPage: true });
  }
  await page.setViewportSize(WIDTHS[0]);
}

/** axe-core at both widths. */
async function checkBoth(page, label) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await checkA11y(page, `${label} at ${size.width} px`);
  }
  await page.setViewportSize(WIDTHS[0]);
}

/** The text of the page's main part. */
async function mainText(page) {
  return page.locator('main').innerText();
}

/** Clicks a button by its exact name and waits for the page it leads to. */
async function press(page, name) {
  return navigateBy(page, () => page.getByRole('button', { name, exact: true }).click());
}

/** A browser with the notice accepted, speaking `lang`. */
async function visitor(lang, options = {}) {
  const context = await acceptedContext(browser, options);
  const page = await context.newPage();
  if (lang === 'en') await open(page, '/lang/en?next=/');
  return { context, page };
}

/** The «when» part of a slot's label: «понедельник, 24 ноября, 09:30». */
function whenOf(slot) {
  return slot.label.replace(/^(Записаться на|Book) /, '');
}

/** Opens a slot's form from the specialist's page and fills it in, consent ticked. */
async function fillForm(page, specialist, slot, data) {
  await open(page, `/specialists/${specialist.id}`);
  await clickSlot(page, slot);
  await fillBooking(page, data);
  await page.locator('#consent_personal_data').check();
  await page.locator('#consent_health_data').check();
}

for (const lang of ['ru', 'en']) {
  const t = T[lang];

  describe(`one-time booking says what happens (${lang})`, () => {
    let v;
    let target;
    let code;
    const first = phoneForms(uniquePhone(FILE)).plus;
    const second = phoneForms(uniquePhone(FILE)).plus;
    const slots = lang === 'ru' ? [0, 1, 2] : [3, 4, 5];

    before(async () => {
      v = await visitor(lang);
      target = await bookableSpecialist(v.context, WHICH, 8);
    });

    after(async () => {
      await v?.context.close();
    });

    test('Back after booking shows «Вы уже записаны» with the visit, not a taken time', async () => {
      const slot = laterSlot(target, slots[0]);
      await fillForm(v.page, target, slot, patient(first));
      await press(v.page, t.book);
      await v.page.getByRole('heading', { level: 1, name: t.doneTitle }).waitFor();
      code = (await v.page.locator('.receipt .code').innerText()).trim();
      const back = await v.page.goBack();
      assert.equal(back?.status() ?? 200, 200);
      await shoot(v.page, `back-after-booking-${lang}`);
      const main = await mainText(v.page);
      assert.ok(main.includes(t.yours), `«${t.yours}» in:\n${main}`);
      assert.ok(!main.includes(t.taken), 'not told the time is taken');
      const status = v.page.getByRole('status');
      const shown = await status.innerText();
      for (const part of [target.name, whenOf(slot), code]) {
        assert.ok(shown.includes(part), `the visit shows ${part}:\n${shown}`);
      }
      const link = status.getByRole('link', { name: t.openConfirmation });
      assert.equal(await link.getAttribute('href'), '/booking/done');
      await checkBoth(v.page, `back after booking (${lang})`);
      await navigateBy(v.page, () => link.click());
      assert.equal((await v.page.locator('.receipt .code').innerText()).trim(), code);
    });

    test('the same form sent again from a second tab shows the visit too', async () => {
      const slot = laterSlot(target, slots[1]);
      const tab = await v.context.newPage();
      await fillForm(v.page, target, slot, patient(second));
      await fillForm(tab, target, slot, patient(second));
      await press(v.page, t.book);
      await v.page.getByRole('heading', { level: 1, name: t.doneTitle }).waitFor();
      const again = await press(tab, t.book);
      await shoot(tab, `sent-again-${lang}`);
      assert.equal(again.status(), 409);
      const main = await mainText(tab);
      assert.ok(main.includes(t.yours), `«${t.yours}» in:\n${main}`);
      assert.ok(main.includes(whenOf(slot)), 'with the date and time');
      assert.ok(!main.includes(t.taken));
      await checkBoth(tab, `the form sent again (${lang})`);
      await tab.close();
    });

    test('another browser is told only that the time is taken', async () => {
      const other = await visitor(lang);
      try {
        const slot = laterSlot(target, slots[0]);
        await open(other.page, slot.href);
        const main = await mainText(other.page);
        assert.ok(main.includes(t.taken), main);
        assert.ok(!main.includes(t.yours), 'nothing about whose it is');
        assert.ok(!main.includes(code), 'no booking code');
      } finally {
        await other.context.close();
      }
    });

    test('a phone that booked once is told to register or sign in, with the links', async () => {
      await fillForm(v.page, target, laterSlot(target, slots[2]), patient(first));
      const refused = await press(v.page, t.book);
      await shoot(v.page, `one-time-used-${lang}`);
      assert.equal(refused.status(), 409);
      const alert = v.page.getByRole('alert');
      const text = await alert.innerText();
      assert.ok(text.includes(t.oneTimeUsed), text);
      assert.ok(text.includes(t.oneTimeNext), text);
      const register = alert.getByRole('link', { name: t.oneTimeRegister, exact: true });
      assert.equal(await register.getAttribute('href'), '/register');
      const signIn = alert.getByRole('link', { name: t.oneTimeLogin, exact: true });
      assert.match(await signIn.getAttribute('href'), /^\/login\?next=\/booking\/new%3Fspecialist%3D/);
      await checkBoth(v.page, `one-time booking used (${lang})`);
      await navigateBy(v.page, () => register.click());
      assert.equal(new URL(v.page.url()).pathname, '/register');
    });

    test('the specialist page says how far ahead booking is open, and never «слот»', async () => {
      await open(v.page, `/specialists/${target.id}`);
      await shoot(v.page, `specialist-${lang}`);
      const main = await mainText(v.page);
      assert.ok(main.includes(t.window), `«${t.window}» in:\n${main}`);
      for (const path of [`/specialists/${target.id}`, laterSlot(target, slots[0]).href, '/specialists']) {
        await open(v.page, path);
        const text = await v.page.locator('body').innerText();
        const labels = await v.page.locator('[aria-label]').evaluateAll((els) =>
          els.map((e) => e.getAttribute('aria-label')).join('\n'),
        );
        assert.doesNotMatch(`${text}\n${labels}`, t.slotWord, `${path} says «слот»`);
      }
      await open(v.page, `/specialists/${target.id}`);
      await checkBoth(v.page, `the specialist page (${lang})`);
    });

    test('the header offers registration; the site has a favicon', async () => {
      await open(v.page, '/');
      await shoot(v.page, `home-${lang}`);
      const header = v.page.locator('header.site-header');
      const register = header.getByRole('link', { name: t.headerRegister, exact: true });
      assert.equal(await register.getAttribute('href'), '/register');
      await checkBoth(v.page, `the home page (${lang})`);
      const icon = await v.page.locator('head link[rel="icon"]').getAttribute('href');
      const svg = await v.context.request.get(icon);
      assert.equal(svg.status(), 200);
      assert.match(svg.headers()['content-type'], /^image\/svg\+xml/);
      const ico = await v.context.request.get('/favicon.ico');
      assert.equal(ico.status(), 200, '/favicon.ico is not a 404');
      assert.match(ico.headers()['content-type'], /^image\/svg\+xml/);
    });

    test('the rules say their version once; the registration form does not talk about booking', async () => {
      await open(v.page, '/rules');
      await shoot(v.page, `rules-${lang}`);
      const rules = await mainText(v.page);
      assert.equal((rules.match(t.version) || []).length, 1, 'the version is said once');
      await checkBoth(v.page, `the rules (${lang})`);

      await open(v.page, '/register');
      const refused = await press(v.page, t.oneTimeRegister);
      await shoot(v.page, `register-${lang}`);
      assert.equal(refused.status(), 422);
      const form = await mainText(v.page);
      assert.doesNotMatch(form, t.bookingWord, 'the registration form talks about registering');
      assert.ok(form.includes(t.agree), `«${t.agree}» like «Я ознакомлен(а)»`);
      await checkBoth(v.page, `the registration form with errors (${lang})`);
    });

    test('the cookie-decline page has no stray link', async () => {
      const other = await visitor(lang);
      try {
        await open(other.page, '/notice/declined');
        await shoot(other.page, `declined-${lang}`);
        const links = await other.page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.equal(links.length, 1, `only the clinic's phone: ${links}`);
        assert.match(links[0], /^tel:/);
        await checkBoth(other.page, `the cookie-decline page (${lang})`);
      } finally {
        await other.context.close();
      }
    });
  });
}

describe('a registered patient: the cabinet says what happens', () => {
  let a; // the patient's own browser (Chromium, JavaScript on)
  let b; // another device of theirs: «Firefox» on Windows, without JavaScript
  let specialist;
  let slot;
  const login = `vera.${Date.now()}@example.ru`;
  const phone = phoneForms(uniquePhone(FILE)).plus;

  before(async () => {
    a = await visitor('ru');
    specialist = await bookableSpecialist(a.context, CABINET_WHICH, 6);
    const dayAhead = specialist.slots.filter((s) => s.start >= Date.now() / 1000 + 24 * 3600);
    assert.ok(dayAhead.length > 2, 'free time a day ahead to book and move');
    slot = dayAhead[0];
  });

  after(async () => {
    await a?.context.close();
    await b?.context.close();
  });

  async function signIn(page) {
    await open(page, '/login');
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(PASSWORD);
    return press(page, 'Войти');
  }

  test('the confirmed address leads to «Войти»', async () => {
    const { page } = a;
    await open(page, '/register');
    await fillBooking(page, { ...patient(phone, { first_name: 'Вера', middle_name: 'Павловна' }), email: undefined });
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
    await shoot(page, 'confirmed-ru');
    await page.getByText(T.ru.registered).waitFor();
    const button = page.locator('main').getByRole('link', { name: T.ru.signIn, exact: true });
    assert.equal(await button.getAttribute('href'), '/login');
    await checkBoth(page, 'the confirmed address');
    await navigateBy(page, () => button.click());
    assert.equal(new URL(page.url()).pathname, '/login');
  });

  test('the unread badge counts in words, in both languages', async () => {
    const { page } = a;
    await signIn(page);
    assert.match(page.url(), /\/cabinet$/);
    const header = page.locator('header.site-header');
    assert.equal(await header.getByRole('link', { name: T.ru.headerRegister }).count(), 0, 'no «Регистрация» when signed in');
    for (const lang of ['ru', 'en']) {
      await open(page, `/lang/${lang}?next=/cabinet`);
      await shoot(page, `cabinet-unread-${lang}`);
      const badge = page.locator('nav.tabs .badge');
      assert.equal((await badge.innerText()).trim(), T[lang].unreadOne);
      await checkBoth(page, `the cabinet with one unread message (${lang})`);
    }
    await open(page, '/lang/ru?next=/cabinet');
  });

  test('Back after a booking in the cabinet shows the visit; a second tab sent again too', async () => {
    const { page, context } = a;
    const tab = await context.newPage();
    await open(page, `/specialists/${specialist.id}`);
    await clickSlot(page, slot);
    await open(tab, slot.href);
    await press(page, T.ru.book);
    assert.match(page.url(), /\/cabinet\?done=booked$/);
    await page.goBack();
    await shoot(page, 'cabinet-back-after-booking-ru');
    let main = await mainText(page);
    assert.ok(main.includes(T.ru.yours), main);
    assert.ok(main.includes(whenOf(slot)), 'with the date and time');
    assert.ok(!main.includes(T.ru.taken));
    const link = page.getByRole('status').getByRole('link', { name: T.ru.myVisits });
    assert.equal(await link.getAttribute('href'), '/cabinet');
    await checkBoth(page, 'Back after a booking in the cabinet');

    const again = await press(tab, T.ru.book);
    assert.equal(again.status(), 409);
    main = await mainText(tab);
    assert.ok(main.includes(T.ru.yours), main);
    await tab.close();
  });

  test('at the visit limit «Записаться ещё» is hidden and the page says why', async () => {
    const { page } = a;
    for (const lang of ['ru', 'en']) {
      await open(page, `/lang/${lang}?next=/cabinet`);
      await shoot(page, `cabinet-limit-${lang}`);
      const main = page.locator('main');
      assert.equal(await main.getByRole('link', { name: T[lang].bookMore, exact: true }).count(), 0);
      assert.ok((await main.innerText()).includes(T[lang].limit), 'the reason is shown');
      await checkBoth(page, `the cabinet at the limit (${lang})`);
    }
    await open(page, '/lang/ru?next=/cabinet');
  });

  test('moving a visit asks to confirm old → new before anything changes', async () => {
    const { page } = a;
    const before = await page.locator('table.visits tbody tr td').first().innerText();
    await navigateBy(page, () => page.getByRole('link', { name: T.ru.move, exact: true }).click());
    let choices = page.getByRole('button', { name: T.ru.moveTo });
    if ((await choices.count()) === 0) {
      await navigateBy(page, () => page.locator('nav.week-nav a').last().click());
      choices = page.getByRole('button', { name: T.ru.moveTo });
    }
    const label = await choices.last().getAttribute('aria-label');
    const to = label.replace(T.ru.moveTo, '');
    await navigateBy(page, () => choices.last().click());
    assert.match(page.url(), /\/reschedule\?week=\d+&start=\d+$/, 'a plain GET, no token in it');
    for (const lang of ['ru', 'en']) {
      await open(page, `/lang/${lang}?next=${encodeURIComponent(new URL(page.url()).pathname + new URL(page.url()).search)}`);
      await shoot(page, `move-confirm-${lang}`);
      const main = page.locator('main');
      await main.getByRole('heading', { name: T[lang].confirmMove }).waitFor();
      const details = await main.locator('dl', { hasText: T[lang].was }).innerText();
      assert.ok(details.includes(T[lang].was) && details.includes(T[lang].willBe), details);
      await checkBoth(page, `the move to confirm (${lang})`);
    }
    await open(page, `/lang/ru?next=${encodeURIComponent(new URL(page.url()).pathname + new URL(page.url()).search)}`);
    const details = await page.locator('main dl', { hasText: T.ru.was }).innerText();
    assert.ok(details.includes(before), `was ${before}: ${details}`);
    assert.ok(details.includes(to), `will be ${to}: ${details}`);

    const cabinet = await a.context.newPage();
    await open(cabinet, '/cabinet');
    assert.equal(await cabinet.locator('table.visits tbody tr td').first().innerText(), before, 'nothing moved yet');
    await cabinet.close();

    await press(page, T.ru.moveSubmit);
    await page.getByText(T.ru.moved).waitFor();
    assert.equal(await page.locator('table.visits tbody tr td').first().innerText(), to);
  });

  test('without JavaScript, on another device, the move asks to confirm too', async () => {
    b = await visitor('ru', { javaScriptEnabled: false, userAgent: FIREFOX_ON_WINDOWS });
    const { page } = b;
    await signIn(page);
    const before = await page.locator('table.visits tbody tr td').first().innerText();
    await navigateBy(page, () => page.getByRole('link', { name: T.ru.move, exact: true }).click());
    let choices = page.getByRole('button', { name: T.ru.moveTo });
    if ((await choices.count()) === 0) {
      await navigateBy(page, () => page.locator('nav.week-nav a').last().click());
      choices = page.getByRole('button', { name: T.ru.moveTo });
    }
    await navigateBy(page, () => choices.first().click());
    await page.getByRole('heading', { name: T.ru.confirmMove }).waitFor();
    await press(page, T.ru.moveSubmit);
    await page.getByText(T.ru.moved).waitFor();
    assert.notEqual(await page.locator('table.visits tbody tr td').first().innerText(), before);
  });

  test('the security page names devices and ends one other session', async () => {
    const { page } = a;
    for (const lang of ['ru', 'en']) {
      await open(page, `/lang/${lang}?next=/cabinet/security`);
      await shoot(page, `security-${lang}`);
      const sessions = await page.locator('ul.sessions').innerText();
      assert.ok(sessions.includes(T[lang].thisDevice), sessions);
      assert.ok(sessions.includes(T[lang].otherDevice), sessions);
      assert.ok(!sessions.includes('Mozilla/5.0'), 'no raw user agent');
      await checkBoth(page, `the security page (${lang})`);
    }
    await open(page, '/lang/ru?next=/cabinet/security');
    const other = page.locator('ul.sessions li', { hasText: T.ru.otherDevice });
    await navigateBy(page, () => other.getByRole('button', { name: T.ru.endOne }).click());
    await shoot(page, 'security-ended-ru');
    await page.getByRole('status').filter({ hasText: T.ru.ended }).waitFor();
    assert.equal(await page.locator('ul.sessions li').count(), 1, 'only this session is left');
    await checkBoth(page, 'the security page after ending a session');
    await b.page.goto('/cabinet');
    assert.match(b.page.url(), /\/login\?next=/, 'the other device has to sign in again');
  });

  test('«Выйти на всех устройствах» lands on a page that says it worked', async () => {
    const { page } = a;
    await press(page, T.ru.endAll);
    await shoot(page, 'signed-out-everywhere-ru');
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByRole('status').filter({ hasText: T.ru.endedAll }).waitFor();
    await checkBoth(page, 'signed out everywhere');
    await open(page, `/lang/en?next=${encodeURIComponent('/login?done=everywhere')}`);
    await shoot(page, 'signed-out-everywhere-en');
    await page.getByRole('status').filter({ hasText: T.en.endedAll }).waitFor();
    await checkBoth(page, 'signed out everywhere (en)');
    await open(page, '/cabinet');
    assert.match(page.url(), /\/login\?next=/, 'this browser is signed out too');
  });
});
