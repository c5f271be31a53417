// The fair waiting list (B8) in the browser, on a clinic of its own: a specialist's week is
// fully booked (one-time bookings over the API, and the clinic's patient's own visit); a newly
// registered patient sees «На этой неделе свободного времени нет» on the specialist's page,
// joins the waiting list from there and sees the entry in the cabinet. The clinic's patient
// cancels their visit; the worker holds the time for the waiting patient, who gets the letter
// and the cabinet message and books the held time in one click. The registrar sees the line.
// axe-core on every new page at 1280 and 390 px, in Russian and English.
// KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openClinic, patientSignIn, press } from './clinic.js';
import { everyWidth, laterSlot, launch, navigateBy, open, slotsOf } from './helpers.js';
import { linkIn, waitForLetter } from './mail.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 7; // this file's digit in the phones of its clinic (a server of its own)
const PASSWORD = 'лиловый дирижабль над рекой';
const RUN = Date.now();

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

/** A phone nobody of this run used: +7 9XX XXX XX XX from a counter. */
let phones = 0;
function freshPhone() {
  phones += 1;
  return `+79${String((RUN + phones * 7919) % 1_000_000_000).padStart(9, '0')}`;
}

describe('a patient waits for a fully booked specialist and books a freed time', { skip: OWN_SERVER_SKIP }, () => {
  let page;
  let week;
  const login = `wait.${RUN}@example.ru`;

  test('the specialist’s week with the clinic patient’s visit is fully booked', async () => {
    // The week of the patient's visit (booked at the first later slot): its other free times
    // go to one-time bookings.
    week = laterSlot(clinic.specialist, 0).week;
    const all = await slotsOf(clinic.visitor.context, clinic.specialist.id, 4);
    for (const slot of all.filter((s) => s.week === week)) {
      const response = await clinic.visitor.context.request.post('/api/v1/bookings', {
        data: {
          specialist_id: clinic.specialist.id,
          start: new Date(slot.start * 1000).toISOString(),
          patient: {
            last_name: 'Заполнова', first_name: 'Анна', birth_date: '1980-01-01', phone: freshPhone(),
          },
          consents: { personal_data: true, calls: false },
        },
      });
      assert.equal(response.status(), 201, await response.text());
    }
    const left = (await slotsOf(clinic.visitor.context, clinic.specialist.id, 4)).filter((s) => s.week === week);
    assert.equal(left.length, 0, 'no free time left that week');
  });

  test('a new patient joins the waiting list from the specialist’s page', async () => {
    page = clinic.visitor.page;
    await open(page, '/register');
    await page.locator('#last_name').fill('Ждунова');
    await page.locator('#first_name').fill('Вера');
    await page.locator('#middle_name').fill('Андреевна');
    await page.locator('#birth_date').fill('1988-06-15');
    await page.locator('#phone').fill(freshPhone());
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_repeat').fill(PASSWORD);
    await page.locator('#consent_personal_data').check();
    await page.locator('#consent_health_data').check();
    await page.locator('#accept_rules').check();
    await press(page, 'Зарегистрироваться');
    const letter = await waitForLetter(login, 'Подтвердите адрес почты', 0, 30_000, clinic.server.maildir);
    await page.goto(linkIn(letter, '/account/confirm?token='));
    await press(page, 'Подтвердить адрес');
    await patientSignIn(page, login, PASSWORD);

    await open(page, `/specialists/${clinic.specialist.id}?week=${week}`);
    await page.getByRole('heading', { name: 'На этой неделе свободного времени нет' }).waitFor();
    await navigateBy(page, () => page.getByRole('button', { name: 'Встать в лист ожидания' }).click());
    await page.getByRole('heading', { name: 'Встать в лист ожидания', level: 1 }).waitFor();
    // The page fills in the days of the week shown; switching the language reloads it bare.
    const from = await page.locator('#from').inputValue();
    const to = await page.locator('#to').inputValue();
    assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
    await everyWidth(page, 'waitlist-join');
    await page.locator('#from').fill(from);
    await page.locator('#to').fill(to);
    await press(page, 'Встать в лист ожидания');
    assert.match(page.url(), /\/cabinet\/waitlist\?done=joined$/);
    await page.getByText('Вы в листе ожидания.', { exact: false }).waitFor();
    await page.getByText('Ждёт свободного времени').waitFor();
    await everyWidth(page, 'waitlist-list', { here: true });
    await open(page, '/cabinet/waitlist');
    await everyWidth(page, 'waitlist-list');
  });

  test('a cancel frees the time: it is held for the waiting patient, who books it', async () => {
    const other = clinic.patient.page;
    await open(other, `/cabinet/visits/${clinic.visitId}/cancel`);
    await press(other, 'Отменить запись');

    const letter = await waitForLetter(login, 'Освободилось время для записи', 0, 30_000, clinic.server.maildir);
    assert.ok(!letter.body.includes(clinic.specialist.name.split(' ')[0]), 'no doctor in the letter');
    await page.goto(linkIn(letter, '/cabinet/waitlist/'));
    await page.getByRole('heading', { name: 'Время для вас' }).waitFor();
    await everyWidth(page, 'waitlist-offer');
    await open(page, '/cabinet/messages');
    await page.getByText('Освободилось время для записи').first().waitFor();

    const registrar = clinic.registrar.page;
    await open(registrar, '/staff/waitlist');
    await registrar.getByText('предложено время', { exact: false }).waitFor();
    await everyWidth(registrar, 'staff-waitlist');

    await page.goto(linkIn(letter, '/cabinet/waitlist/'));
    await press(page, 'Записаться на это время');
    assert.match(page.url(), /\/cabinet\?done=booked$/);
    await open(page, '/cabinet/waitlist');
    await page.getByText('Вы записались').waitFor();
    await open(registrar, '/staff/waitlist');
    await registrar.getByText('записался', { exact: false }).first().waitFor();
  });
});
