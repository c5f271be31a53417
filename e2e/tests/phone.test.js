// Phones first (issue 10, point 1): every page of the site, of the patient's cabinet and of the
// back office, in Russian and in English, on a 390×844 screen: nothing scrolls sideways
// (`document.documentElement.scrollWidth <= 390`) and every visible button, and every link that
// looks like one, lies inside the screen. axe-core checks each page at 390 px and at 1280 px.
//
// The back office needs its first administrator, which a database allows once, so this file
// runs its own server on a fresh database (clinic.js). With KABINET_E2E_SHOTS set to a folder,
// it also saves a screenshot of every page at both widths there.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { checkA11y, directory, launch, navigateBy, newContext, open } from './helpers.js';
import { openClinic } from './clinic.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 7; // this file's digit in the phones it registers with
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = process.env.KABINET_E2E_SHOTS;

/** Submits the form that `selector` finds by its own submit button; waits for the answer. */
async function submit(page, selector) {
  return navigateBy(page, () => page.locator(`${selector} [type=submit]`).first().click());
}

/**
 * The pages to check: who looks at them and how to get there (a path, or steps for a page
 * that is the answer to a form).
 */
const PAGES = [
  { name: 'home', who: 'visitor', path: '/' },
  { name: 'home-notice', who: 'stranger', path: '/' },
  { name: 'specialists', who: 'visitor', path: '/specialists' },
  { name: 'specialist', who: 'visitor', path: (w) => `/specialists/${w.specialist.id}` },
  { name: 'specialist-closed', who: 'visitor', path: (w) => `/specialists/${w.closed.id}` },
  { name: 'prices', who: 'visitor', path: '/prices' },
  { name: 'rules', who: 'visitor', path: '/rules' },
  { name: 'privacy', who: 'visitor', path: '/privacy' },
  { name: 'notice-declined', who: 'visitor', path: '/notice/declined' },
  { name: 'not-found', who: 'visitor', path: '/nope', status: 404 },
  { name: 'register', who: 'visitor', path: '/register' },
  {
    name: 'register-errors',
    who: 'visitor',
    go: async (page) => {
      await open(page, '/register');
      return submit(page, 'form[action="/register"]');
    },
    status: 422,
  },
  { name: 'login', who: 'visitor', path: '/login' },
  { name: 'lost', who: 'visitor', path: '/account/lost' },
  { name: 'booking-form', who: 'visitor', path: (w) => w.specialist.slots.at(-1).href },
  {
    name: 'booking-errors',
    who: 'visitor',
    go: async (page, w) => {
      await open(page, w.specialist.slots.at(-1).href);
      return submit(page, 'form[action="/booking"]');
    },
    status: 422,
  },
  { name: 'staff-login', who: 'stranger', path: '/staff/login' },
  { name: 'cabinet', who: 'patient', path: '/cabinet' },
  { name: 'cabinet-reschedule', who: 'patient', path: (w) => `/cabinet/visits/${w.visitId}/reschedule` },
  { name: 'cabinet-cancel', who: 'patient', path: (w) => `/cabinet/visits/${w.visitId}/cancel` },
  { name: 'cabinet-book', who: 'patient', path: (w) => w.specialist.slots.at(-2).href },
  { name: 'messages', who: 'patient', path: '/cabinet/messages' },
  {
    name: 'message',
    who: 'patient',
    go: async (page) => {
      await open(page, '/cabinet/messages');
      return navigateBy(page, () => page.locator('ul.messages a').first().click());
    },
  },
  { name: 'profile', who: 'patient', path: '/cabinet/profile' },
  { name: 'security', who: 'patient', path: '/cabinet/security' },
  { name: 'calendar', who: 'patient', path: '/cabinet/calendar' },
  { name: 'staff-home', who: 'registrar', path: '/staff' },
  {
    name: 'staff-search',
    who: 'registrar',
    go: async (page) => {
      await open(page, '/staff');
      await page.locator('#q').fill('Белова');
      return submit(page, 'form[action="/staff/search"]');
    },
  },
  { name: 'staff-patient', who: 'registrar', path: (w) => `/staff/patients/${w.patientId}` },
  {
    name: 'staff-book',
    who: 'registrar',
    path: (w) => `/staff/patients/${w.patientId}/book?specialist=${w.specialist.id}`,
  },
  { name: 'staff-feed', who: 'registrar', path: '/staff/feed' },
  { name: 'staff-requests', who: 'registrar', path: '/staff/requests' },
  { name: 'staff-access', who: 'registrar', path: '/staff/access/new' },
  {
    name: 'staff-access-errors',
    who: 'registrar',
    go: async (page) => {
      await open(page, '/staff/access/new');
      return submit(page, 'form[action="/staff/access"]');
    },
    status: 422,
  },
  { name: 'staff-audit', who: 'registrar', path: '/staff/audit' },
  { name: 'staff-audit-patient', who: 'registrar', path: (w) => `/staff/audit?patient=${w.patientId}` },
  { name: 'staff-team', who: 'admin', path: '/staff/team' },
];

/** What a 390 px screen shows badly: the page's width, buttons that stick out. */
async function phoneProblems(page) {
  return page.evaluate((width) => {
    const problems = [];
    const wide = document.documentElement.scrollWidth;
    if (wide > width) {
      // The innermost elements that stick out, to say where to look.
      const out = [...document.body.querySelectorAll('*')].filter(
        (e) => e.getBoundingClientRect().right > width + 0.5 && e.checkVisibility(),
      );
      const innermost = out.filter((e) => !out.some((o) => o !== e && e.contains(o)));
      const where = innermost
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${e.className}` : ''} «${e.innerText.trim().slice(0, 30)}»`);
      problems.push(`the page is ${wide} px wide: ${where.join(', ')}`);
    }
    const buttons = document.querySelectorAll(
      'button, input[type=submit], input[type=button], a.button, a.slot',
    );
    for (const b of buttons) {
      const box = b.getBoundingClientRect();
      if (!b.checkVisibility({ visibilityProperty: true }) || box.width === 0) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        const text = (b.innerText || b.value || b.getAttribute('aria-label') || '').trim();
        problems.push(`«${text}» spans ${Math.round(box.left)}…${Math.round(box.right)} px`);
      }
    }
    return problems;
  }, PHONE.width);
}

describe('every page fits a phone, in Russian and in English', { skip: OWN_SERVER_SKIP }, () => {
  let browser;
  let clinic;
  const people = {};
  const language = new Map(); // the language each person's browser speaks now

  before(async () => {
    browser = await launch();
    clinic = await openClinic(browser, FILE);
    const stranger = await newContext(browser, { baseURL: clinic.server.url });
    people.stranger = { context: stranger, page: await stranger.newPage() };
    for (const who of ['visitor', 'patient', 'registrar', 'admin']) people[who] = clinic[who];
    const closed = (await directory(clinic.visitor.context)).find((s) => !s.online);
    assert.ok(closed, 'the demo clinic has a specialist closed for online booking');
    clinic.closed = closed;
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await people.stranger?.context.close();
    await clinic?.close();
    await browser?.close();
  });

  for (const lang of ['ru', 'en']) {
    for (const p of PAGES) {
      test(`${p.name} (${lang})`, async () => {
        const { page } = people[p.who];
        if (language.get(p.who) !== lang) {
          await page.goto(`/lang/${lang}?next=/`);
          language.set(p.who, lang);
        }
        await page.setViewportSize(PHONE);
        let response;
        if (p.go) {
          response = await p.go(page, clinic);
        } else {
          const path = typeof p.path === 'function' ? p.path(clinic) : p.path;
          response = await page.goto(path);
        }
        assert.equal(response.status(), p.status ?? 200, `${p.name}: HTTP status`);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);

        const shot = async (size) => {
          if (!SHOTS) return;
          await page.screenshot({ path: join(SHOTS, `${p.name}-${lang}-${size.width}.png`), fullPage: true });
        };
        await shot(PHONE);
        const problems = await phoneProblems(page);
        await checkA11y(page, `${p.name} (${lang}) at 390 px`);
        await page.setViewportSize(DESKTOP);
        await shot(DESKTOP);
        await checkA11y(page, `${p.name} (${lang}) at 1280 px`);
        assert.deepEqual(problems, [], `${p.name} (${lang}) at 390 px`);
      });
    }
  }
});
