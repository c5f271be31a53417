// The front desk's day in the browser (issue 12, points 1–2): the patient consents to
// confirmation calls in the cabinet; the registrar finds the visit on the call list of its day,
// records two calls (the list keeps both, the last is the visit's state); the patient withdraws
// the consent and the visit moves at once to «не звонить». Once the visit's time has come the
// registrar marks it on the day's visits: arrived, then not attended — with a limit of one
// no-show (KABINET_NO_SHOW_LIMIT=1 for this file's own server) that closes online booking: the
// patient's cabinet says so with the phone, the card says so, and the registrar reopens it.
// axe-core and both widths on every new page, in Russian and English.
//
// A browser test cannot move the server's clock, so the visit is moved back in time in the
// database (SQLite, written beside the running server) to make its time come.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { everyWidth, launch, laterSlot, navigateBy, open } from './helpers.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 1; // this file's digit in the phones it registers with

let browser;
let clinic;

before(async () => {
  if (OWN_SERVER_SKIP) return;
  // The own server inherits the environment: one no-show closes online booking here.
  process.env.KABINET_NO_SHOW_LIMIT = '1';
  browser = await launch();
  clinic = await openClinic(browser, FILE);
});

after(async () => {
  await clinic?.close();
  await browser?.close();
});

/** The clinic's day (Moscow, UTC+3) of Unix seconds: `YYYY-MM-DD`. */
function moscowDay(seconds) {
  return new Date((seconds + 3 * 3600) * 1000).toISOString().slice(0, 10);
}

/** Moves a visit so that it began 30 minutes ago and has just ended. */
function makeItsTimeCome(visitId) {
  const path = clinic.server.databaseUrl.replace(/^sqlite:\/\//, '');
  const script = [
    'import sqlite3, sys, time',
    'now = int(time.time())',
    'db = sqlite3.connect(sys.argv[1])',
    "db.execute('UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?', (now - 1800, now - 60, int(sys.argv[2])))",
    'db.commit()',
  ].join('\n');
  execFileSync('/usr/bin/python3', ['-c', script, path, String(visitId)]);
  return Math.floor(Date.now() / 1000) - 1800;
}

/** Gives or withdraws the patient's consent to calls on the cabinet's consents page. */
async function consentToCalls(page, give) {
  await open(page, `/cabinet/consents/calls/${give ? 'give' : 'withdraw'}`);
  await press(page, give ? 'Дать согласие' : 'Отозвать согласие');
  assert.match(await page.locator('main').innerText(), give ? /Согласие дано/ : /Согласие отозвано/);
}

describe('the front desk: confirmation calls and visit outcomes', { skip: OWN_SERVER_SKIP }, () => {
  test('the registrar calls, marks the visit, and a no-show closes online booking', async () => {
    const { registrar, patient, visitId, patientId } = clinic;
    const reg = registrar.page;
    const day = moscowDay(laterSlot(clinic.specialist, 0).start);

    await consentToCalls(patient.page, true);

    // The call list of the visit's day: the visit is to call, nobody called yet.
    await open(reg, '/staff/calls');
    await reg.locator('#date').fill(day);
    await press(reg, 'Показать');
    const row = reg.locator(`#visit-${visitId}`);
    assert.match(await row.innerText(), /не звонили/);
    assert.equal(await row.locator('a[href^="tel:"]').count(), 1, 'the phone is a call link');
    await everyWidth(reg, 'calls');

    await navigateBy(reg, () => row.getByRole('button', { name: 'не дозвонились', exact: true }).click());
    await navigateBy(reg, () => reg.locator(`#visit-${visitId}`).getByRole('button', { name: 'подтвердил', exact: true }).click());
    const called = await reg.locator(`#visit-${visitId}`).innerText();
    assert.match(called, /не дозвонились \(Кузнецова Ирина Сергеевна\)/);
    assert.match(called, /подтвердил \(Кузнецова Ирина Сергеевна\)/);
    assert.equal(await reg.locator(`#visit-${visitId} strong`).first().innerText(), 'подтвердил');

    // Withdrawn in the cabinet: at once under «не звонить», with no phone.
    await consentToCalls(patient.page, false);
    await open(reg, `/staff/calls?date=${day}`);
    const apart = reg.locator('ul.no-consent').locator(`#visit-${visitId}`);
    assert.equal(await apart.count(), 1, 'the visit is listed apart');
    assert.equal(await apart.locator('a[href^="tel:"]').count(), 0);

    // The visit's time comes: the day's visits offer the outcomes.
    const began = makeItsTimeCome(visitId);
    await open(reg, `/staff/visits?date=${moscowDay(began)}`);
    await everyWidth(reg, 'visits');
    await navigateBy(reg, () => reg.locator(`#visit-${visitId}`).getByRole('button', { name: 'пришёл', exact: true }).click());
    assert.match(await reg.locator(`#visit-${visitId}`).innerText(), /пришёл/);
    // Corrected: the patient did not come after all.
    await navigateBy(reg, () => reg.locator(`#visit-${visitId}`).getByRole('button', { name: 'не пришёл', exact: true }).click());

    // The patient is told in the cabinet, with the phone to book by.
    await open(patient.page, '/cabinet');
    const banner = patient.page.locator('#online-booking-closed');
    assert.match(await banner.innerText(), /Онлайн-запись для вас закрыта/);
    assert.equal(await banner.locator('a[href^="tel:"]').count(), 1);
    assert.match(await patient.page.locator('ul.past').innerText(), /Неявка/);
    await everyWidth(patient.page, 'cabinet-closed');
    await open(patient.page, '/cabinet/messages');
    assert.match(await patient.page.locator('main').innerText(), /Онлайн-запись закрыта/);

    // The card says so; the registrar reopens it.
    await open(reg, `/staff/patients/${patientId}`);
    assert.match(await reg.locator('#online-booking-closed').innerText(), /Онлайн-запись закрыта/);
    await everyWidth(reg, 'card-closed');
    await press(reg, 'Открыть онлайн-запись');
    assert.equal(await reg.locator('#online-booking-closed').count(), 0);
    await open(patient.page, '/cabinet');
    assert.equal(await patient.page.locator('#online-booking-closed').count(), 0);
  });
});
