// Shared helpers of the browser tests: the system Chromium through playwright-core, axe-core
// for accessibility, and small steps of the booking story that several test files take.
//
// The server is started by e2e/run.sh, which exports KABINET_URL. Every test file shares that
// one server and its database, so each file books different slots and uses its own phones.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Base URL of the server under test, without a trailing slash. */
export const BASE = (process.env.KABINET_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');

/** Path of axe-core's browser bundle, injected into pages by checkA11y. */
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** The Chromium that Debian installs; playwright-core never downloads a browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Texts of the Russian pages (crates/web/locales/ru/main.ftl). */
export const RU = {
  noticeLabel: 'Уведомление о cookie и персональных данных',
  noticeAccept: 'Согласен',
  searchSubmit: 'Найти',
  freeTime: 'Свободное время',
  servicesAndPrices: 'Услуги и цены',
  bookingByPhone: 'Онлайн-запись к этому специалисту закрыта',
  bookingTitle: 'Запись на приём',
  bookingSubmit: 'Записаться',
  validation: 'Проверьте выделенные поля.',
  consentRequired: 'Без согласия на обработку персональных данных записаться нельзя.',
  phoneInvalid: 'Укажите номер телефона, например +7 900 123-45-67.',
  required: 'Заполните это поле.',
  slotTaken: 'Это время уже занято',
  oneTimeUsed: 'С этого номера телефона уже сделана разовая онлайн-запись',
  doneTitle: 'Вы записаны',
  doneCalendar: 'Добавить в календарь (.ics)',
  donePrint: 'Распечатать',
  notFound: 'Страница не найдена',
};

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Chromium. Close it in an `after` hook. */
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

/**
 * A fresh browser context (no cookies: the cookie notice shows). `bypassCSP` lets axe-core be
 * injected into pages whose Content-Security-Policy forbids inline scripts; it changes nothing
 * else the pages do. Russian is the browser's language, as for the clinic's visitors.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE,
    bypassCSP: true,
    locale: 'ru-RU',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  return context;
}

/** Goes to a path and checks the HTTP status of the response. */
export async function open(page, path, status = 200) {
  const response = await page.goto(path);
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), status, `GET ${path}: HTTP status`);
  return response;
}

/**
 * Runs an action that makes the page navigate (a click on a link or a submit button) and waits
 * for the new page to load. Returns the main response of that navigation (after redirects).
 */
export async function navigateBy(page, action) {
  // waitForNavigation is armed before the action, so the click cannot outrun it.
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  assert.ok(response, 'the action loaded a new page');
  return response;
}

/** The cookie notice of the current page. */
export function notice(page) {
  return page.getByRole('region', { name: RU.noticeLabel });
}

/** Accepts the cookie notice on the current page (a plain form post back to the same page). */
export async function acceptNotice(page) {
  const region = notice(page);
  await region.waitFor({ state: 'visible' });
  const response = await navigateBy(page, () =>
    region.getByRole('button', { name: RU.noticeAccept, exact: true }).click(),
  );
  assert.equal(response.status(), 200, 'accepting the notice leads back to a page');
  return response;
}

/** A context whose cookie notice has been accepted (through the page, as a visitor does). */
export async function acceptedContext(browser, options = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  await open(page, '/');
  await acceptNotice(page);
  assert.equal(await notice(page).count(), 0, 'the notice is gone after accepting it');
  await page.close();
  return context;
}

/** Formats axe-core's violations as a readable list. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
          const summary = (n.failureSummary || '').split('\n').map((l) => l.trim()).filter(Boolean);
          return `    - ${target}\n        ${n.html.slice(0, 200)}\n        ${summary.join(' / ')}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe-core on the page and fails with a readable list of the violations (rule id, impact,
 * help, target selectors) if there are any.
 */
export async function checkA11y(page, label = page.url()) {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
  if (violations.length > 0) {
    assert.fail(
      `axe-core found ${violations.length} accessibility violation(s) on ${label}:\n` +
        formatViolations(violations),
    );
  }
}

/** This process's start, in ms: each test file runs in its own process. */
const RUN = Date.now();
let phoneCounter = 0;

/**
 * A fresh Russian mobile number as 10 digits after +7: `9` + 7 digits of this run's clock (ms,
 * repeating only every 2.8 hours) + the test file's digit + a counter. Reruns against the same
 * database therefore use new phones, and the test files never share one.
 */
export function uniquePhone(file) {
  phoneCounter += 1;
  assert.ok(file >= 0 && file <= 9 && phoneCounter <= 9, 'at most 9 phones per test file');
  return `9${String(RUN % 10_000_000).padStart(7, '0')}${file}${phoneCounter}`;
}

/** The ways people write one number: `+7 900 555 11 22` and `8 (900) 555-11-22`. */
export function phoneForms(digits10) {
  const d = digits10;
  return {
    plus: `+7 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8, 10)}`,
    eight: `8 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8, 10)}`,
  };
}

/**
 * The specialists of the whole directory (all pages), read from the HTML with the context's
 * cookies: [{ id, name, online }] in directory order.
 */
export async function directory(context) {
  const found = [];
  for (let pageNo = 1; pageNo <= 20; pageNo += 1) {
    const response = await context.request.get(`/specialists?page=${pageNo}`);
    assert.equal(response.status(), 200);
    const html = await response.text();
    const cards = html.split('<li class="card">').slice(1);
    if (cards.length === 0) break;
    for (const card of cards) {
      // On English pages the Russian name is marked lang="ru".
      const m = card.match(/<h2><a href="\/specialists\/(\d+)"(?: lang="ru")?>([^<]+)<\/a><\/h2>/);
      if (!m) continue;
      if (found.some((s) => s.id === Number(m[1]))) return found;
      found.push({ id: Number(m[1]), name: m[2], online: !card.includes('class="phone-only"') });
    }
    if (!html.includes('class="pager"') || !html.includes(`page=${pageNo + 1}`)) break;
  }
  return found;
}

/**
 * Slot links of a specialist's page (this week and the next ones): [{ href, start, label, week }],
 * earliest first; `week` is the page's ?week= number that shows the slot. The links stand in the HTML as `/booking/new?specialist=ID&start=SECONDS`.
 */
export async function slotsOf(context, specialistId, weeks = 3) {
  const slots = [];
  const seen = new Set();
  for (let week = 0; week < weeks; week += 1) {
    const response = await context.request.get(`/specialists/${specialistId}?week=${week}`);
    if (response.status() !== 200) break;
    const html = await response.text();
    const re = /<a class="slot" href="([^"]+)" aria-label="([^"]+)">/g;
    for (const m of html.matchAll(re)) {
      const href = m[1].replace(/&amp;/g, '&');
      const start = Number(new URL(href, BASE).searchParams.get('start'));
      if (!seen.has(href)) slots.push({ href, start, label: m[2], week });
      seen.add(href);
    }
  }
  return slots;
}

/**
 * Picks a specialist with online booking and at least `min` free slots. `which` chooses among
 * them (an index counted from the end of the directory, so that different test files book
 * with different specialists and do not take each other's slots).
 */
export async function bookableSpecialist(context, which, min = 2) {
  const online = (await directory(context)).filter((s) => s.online);
  assert.ok(online.length > 0, 'the directory lists specialists with online booking');
  for (let i = 0; i < online.length; i += 1) {
    const s = online[(online.length - 1 - which - i + online.length * 4) % online.length];
    const slots = await slotsOf(context, s.id);
    if (slots.length >= min) return { ...s, slots };
  }
  assert.fail(`no specialist with online booking has ${min} free slots`);
}

/**
 * A free slot of the specialist to book: the `nth` (0-based) of those that start at least
 * three hours from now, so that none runs out while the tests run.
 */
export function laterSlot(specialist, nth = 0) {
  const soonest = Date.now() / 1000 + 3 * 3600;
  const later = specialist.slots.filter((s) => s.start >= soonest);
  assert.ok(later.length > nth, `specialist ${specialist.id} has ${nth + 1} free slots ahead`);
  return later[nth];
}

/**
 * On a specialist's page, goes to the week that shows `slot` (by the week links, as a visitor
 * does) and clicks the slot's link. Returns the response of the booking form.
 */
export async function clickSlot(page, slot) {
  for (let week = 0; week < slot.week; week += 1) {
    await navigateBy(page, () => page.locator('nav.week-nav a[href*="week="]').last().click());
  }
  const link = page.locator(`a.slot[href="${slot.href}"]`);
  assert.equal(await link.count(), 1, `the slot ${slot.label} is on the page`);
  const response = await navigateBy(page, () => link.click());
  assert.equal(response.status(), 200, 'the booking form opens');
  return response;
}

/** A plausible patient; `phone` is as typed. */
export function patient(phone, extra = {}) {
  return {
    last_name: 'Иванова',
    first_name: 'Мария',
    middle_name: 'Петровна',
    birth_date: '1985-03-14',
    phone,
    email: 'maria@example.ru',
    ...extra,
  };
}

/** Fills the booking form's text fields (the date field takes YYYY-MM-DD). */
export async function fillBooking(page, data) {
  for (const [id, value] of Object.entries(data)) {
    if (value === undefined) continue;
    await page.locator(`#${id}`).fill(value);
  }
}

/**
 * Submits the booking form. Returns the response of the page that the browser ends on: the
 * form again (422/409) or, after the POST's redirect, the confirmation.
 */
export async function submitBooking(page) {
  return navigateBy(page, () =>
    page.getByRole('button', { name: RU.bookingSubmit, exact: true }).click(),
  );
}

/** Text of `.code` on the confirmation page. */
export async function bookingCode(page) {
  return (await page.locator('.receipt .code').innerText()).trim();
}

/** Bytes of an RFC 4648 base32 text (spaces and padding ignored). */
export function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The six-digit TOTP code (RFC 6238: HMAC-SHA-1, 30-second steps) an authenticator app shows
 * for `secret` (base32) at `at` milliseconds: what a member of staff types after the password.
 */
export function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

/**
 * On the enrolment page (the first staff sign-in): checks the QR code is drawn, reads the
 * secret shown for typing by hand, types the app's code and returns the secret and the ten
 * recovery codes the next page shows once.
 */
export async function enrolSecondFactor(page) {
  await page.getByRole('heading', { name: 'Подключите второй фактор' }).waitFor();
  const qr = page.locator('img.qr');
  const drawn = await qr.evaluate((img) => img.complete && img.naturalWidth > 0);
  if (!drawn) throw new Error('the QR code is not drawn');
  const secret = await page.locator('#totp-secret').getAttribute('data-secret');
  await page.locator('#code').fill(totp(secret));
  await navigateBy(page, () => page.getByRole('button', { name: 'Подключить', exact: true }).click());
  await page.getByRole('heading', { name: 'Резервные коды' }).waitFor();
  const recoveryCodes = (await page.locator('.recovery-codes code').allInnerTexts()).map((c) => c.trim());
  if (recoveryCodes.length !== 10) throw new Error(`ten recovery codes, not ${recoveryCodes.length}`);
  return { secret, recoveryCodes };
}

/** Where screenshots go when KABINET_E2E_SHOTS is set. */
const SHOTS = process.env.KABINET_E2E_SHOTS;

/** Switches the page's language, staying on its page. */
export async function speak(page, lang) {
  const { pathname, search } = new URL(page.url());
  await open(page, `/lang/${lang}?next=${encodeURIComponent(pathname + search)}`);
}

/**
 * At 1280 and 390 px, in Russian and then in English (or only as it is, with `here`):
 * nothing scrolls sideways, axe-core finds nothing, and a screenshot of each when
 * KABINET_E2E_SHOTS is set. Ends at 1280 px in Russian.
 */
export async function everyWidth(page, name, { here = false } = {}) {
  for (const lang of here ? [null] : ['ru', 'en']) {
    if (lang) await speak(page, lang);
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= width, `${name} fits ${width} px (${wide} px wide)`);
      await checkA11y(page, `${name} ${lang ?? ''} at ${width} px`);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        const shown = await page.locator('html').getAttribute('lang');
        await page.screenshot({ path: join(SHOTS, `${name}-${shown}-${width}.png`), fullPage: true });
      }
    }
  }
  if (!here) await speak(page, 'ru');
  await page.setViewportSize({ width: 1280, height: 900 });
}
