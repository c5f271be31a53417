// A clinic with people in it, on a server of the test file's own (server.js): the first
// administrator (from `kabinet staff`), a registrar who is also an auditor, and a patient with
// confirmed access who has activated the account, booked a visit and asked to change a field of
// their data. Every member of staff has enrolled the second factor. The steps are the ones
// registrar.test.js checks one by one; here they only build the scene for tests of other pages.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import {
  acceptedContext,
  bookableSpecialist,
  enrolSecondFactor,
  laterSlot,
  navigateBy,
  newContext,
  open,
  phoneForms,
  uniquePhone,
} from './helpers.js';
import { startOwnServer } from './server.js';

const RUN = Date.now();

/** Clicks a button by its exact name and waits for the page it leads to. */
export async function press(page, name) {
  return navigateBy(page, () => page.getByRole('button', { name, exact: true }).click());
}

/** Signs in at /staff/login with a password (the second factor comes next). */
async function staffPassword(page, login, password) {
  await open(page, '/staff/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await press(page, 'Войти');
}

/** Signs a patient in at /login; returns the response of the page it ends on. */
export async function patientSignIn(page, login, password) {
  await open(page, '/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  return press(page, 'Войти');
}

/** The one-time link `kabinet staff` prints for the first administrator. */
function bootstrapLink(server) {
  const out = execFileSync(server.bin, ['staff'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      KABINET_DATABASE_URL: server.databaseUrl,
      KABINET_PUBLIC_URL: server.url,
      KABINET_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const match = out.match(/https?:\/\/\S+\/staff\/bootstrap\?token=\S+/);
  assert.ok(match, `a bootstrap link in the output of kabinet staff:\n${out}`);
  return match[0];
}

/** Gives a new patient confirmed access as `registrar` (a page); returns { id, oneTimePassword }. */
export async function giveAccess(registrar, person) {
  await open(registrar, '/staff/access/new');
  for (const name of ['last_name', 'first_name', 'middle_name', 'birth_date', 'phone', 'login']) {
    await registrar.locator(`#${name}`).fill(person[name]);
  }
  await registrar.locator('#card_number').fill(person.card_number);
  await registrar.locator('#paper_reference').fill('Заявление');
  await press(registrar, 'Оформить доступ и выдать одноразовый пароль');
  const sheet = await registrar.locator('main').innerText();
  const oneTimePassword = sheet.match(/\b[2-9A-HJKMNP-Z]{10}\b/)?.[0];
  assert.ok(oneTimePassword, `a one-time password on the sheet:\n${sheet}`);
  const card = registrar.locator('main a[href^="/staff/patients/"]').first();
  const id = Number((await card.getAttribute('href')).match(/(\d+)$/)[1]);
  return { id, oneTimePassword };
}

/** A new patient's data for giveAccess; `n` tells patients of one file apart. */
export function newPerson(file, n) {
  return {
    last_name: 'Белова',
    first_name: 'Ольга',
    middle_name: 'Игоревна',
    birth_date: '1979-06-21',
    phone: phoneForms(uniquePhone(file)).plus,
    login: `olga.${n}.${RUN}@example.ru`,
    card_number: `Т-${n}-${RUN % 1_000_000}`,
    password: 'синий парус у белого маяка',
  };
}

/**
 * Opens the clinic: its own server, then the people. Returns { server, admin, registrar,
 * patient, visitor } (each { context, page }, Russian, 1280 px wide) and { patientId, visitId,
 * specialist }. Close it with `clinic.close()`.
 */
export async function openClinic(browser, file) {
  const server = await startOwnServer();
  const options = { baseURL: server.url };
  const contexts = [];
  const person = async (accepted) => {
    const context = accepted
      ? await acceptedContext(browser, options)
      : await newContext(browser, options);
    contexts.push(context);
    return { context, page: await context.newPage() };
  };
  const close = async () => {
    for (const context of contexts) await context.close();
    await server.stop();
  };
  try {
    const admin = await person(false);
    const adminLogin = `admin.${RUN}`;
    const adminPassword = 'тёплый свет над старой пристанью';
    await admin.page.goto(bootstrapLink(server));
    await admin.page.locator('#login').fill(adminLogin);
    await admin.page.locator('#full_name').fill('Орлова Вера Николаевна');
    await admin.page.locator('#password').fill(adminPassword);
    await press(admin.page, 'Сохранить');
    await staffPassword(admin.page, adminLogin, adminPassword);
    await enrolSecondFactor(admin.page);

    const registrar = await person(false);
    const registrarLogin = `registrar.${RUN}`;
    const registrarPassword = 'жёлтые листья на мокром асфальте';
    await open(admin.page, '/staff/team');
    await admin.page.locator('#login').fill(registrarLogin);
    await admin.page.locator('#full_name').fill('Кузнецова Ирина Сергеевна');
    await press(admin.page, 'Добавить');
    const setup = (await admin.page.locator('main').innerText()).match(/\S+\/staff\/setup\?token=\S+/);
    assert.ok(setup, 'the team page shows the setup link');
    const row = admin.page.locator('table tbody tr', { hasText: registrarLogin });
    await navigateBy(admin.page, () => row.getByRole('button', { name: 'Сделать аудитором' }).click());
    await registrar.page.goto(setup[0]);
    await registrar.page.locator('#password').fill(registrarPassword);
    await press(registrar.page, 'Сохранить');
    await staffPassword(registrar.page, registrarLogin, registrarPassword);
    await enrolSecondFactor(registrar.page);

    const patient = await person(true);
    const data = newPerson(file, 1);
    const access = await giveAccess(registrar.page, data);
    await patientSignIn(patient.page, data.login, access.oneTimePassword);
    await patient.page.locator('#password').fill(data.password);
    await patient.page.locator('#password_repeat').fill(data.password);
    await press(patient.page, 'Сохранить пароль');
    assert.match(patient.page.url(), /\/cabinet/, 'the patient is in the cabinet');

    const specialist = await bookableSpecialist(patient.context, 0, 3);
    await open(patient.page, laterSlot(specialist, 0).href);
    await press(patient.page, 'Записаться');
    const reschedule = patient.page.locator('a[href$="/reschedule"]').first();
    const visitId = Number((await reschedule.getAttribute('href')).match(/visits\/(\d+)\//)[1]);
    // A request the registrar turns down (the patient gets a message about it), then one that
    // waits for the registrar.
    for (const lastName of ['Белова-Смирнова', 'Смирнова']) {
      await open(patient.page, '/cabinet/profile');
      await patient.page.locator('#last_name').fill(lastName);
      await press(patient.page, 'Отправить запрос');
      if (lastName === 'Смирнова') break;
      await open(registrar.page, '/staff/requests');
      await registrar.page.locator('input[name="reason"]').first().fill('Нужен паспорт');
      await press(registrar.page, 'Отклонить');
    }

    const visitor = await person(true);
    return { server, admin, registrar, patient, visitor, patientId: access.id, visitId, specialist, close };
  } catch (error) {
    await close();
    throw error;
  }
}
