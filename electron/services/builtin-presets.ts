/**
 * The presets that ship with the app, beside the classic table: tables for
 * real protocols (SMTP, POP3, FTP, Modbus TCP, SCPI, a Hayes modem, an NMEA
 * GPS) that their usual clients accept unchanged. The tables live as JSON in
 * presets/ at the repository root, so `npm run serve -- --commands
 * presets/smtp.json` serves the same table the window lists; each is checked
 * here like any table a user loads.
 */
import { checkTable, describeTableIssue, type CommandTable } from '../shared/protocol/command-table.js';
import ftp from '../../presets/ftp.json' with { type: 'json' };
import hayesModem from '../../presets/hayes-modem.json' with { type: 'json' };
import modbusTcp from '../../presets/modbus-tcp.json' with { type: 'json' };
import nmeaGps from '../../presets/nmea-gps.json' with { type: 'json' };
import pop3 from '../../presets/pop3.json' with { type: 'json' };
import scpi from '../../presets/scpi.json' with { type: 'json' };
import smtp from '../../presets/smtp.json' with { type: 'json' };

export interface BuiltInPreset {
  name: string;
  table: CommandTable;
}

const FILES: Record<string, unknown> = {
  'smtp.json': smtp,
  'pop3.json': pop3,
  'ftp.json': ftp,
  'modbus-tcp.json': modbusTcp,
  'scpi.json': scpi,
  'hayes-modem.json': hayesModem,
  'nmea-gps.json': nmeaGps,
};

/** Checks one shipped table; a bad one is a defect of the build, not of the user's input. */
function load(file: string, json: unknown): BuiltInPreset {
  const check = checkTable(json);
  if (!check.ok) {
    throw new Error(
      `presets/${file} is not a valid table: ${check.issues.map(describeTableIssue).join('; ')}`,
    );
  }
  // The editor names the file it exports; the shipped files point at the schema by a relative path.
  const table: CommandTable = { ...check.table };
  delete table.$schema;
  return { name: table.name ?? file, table };
}

/** The shipped presets, in the order the window lists them (after Classic). */
export const BUILT_IN_PRESETS: readonly BuiltInPreset[] = Object.entries(FILES).map(([file, json]) =>
  load(file, json),
);
