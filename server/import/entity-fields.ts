// What each importable entity is made of: our field names (those of the contract), the kind of
// value each holds, which are required and what the others default to. The mapping file says
// where each field comes from in the operator's file; everything else follows from here.
export const IMPORT_ENTITIES = ['customers', 'usage', 'complaints', 'plans'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

export type FieldKind =
  | { type: 'text'; maxLength: number }
  | { type: 'mobile' }
  | { type: 'mobileList' }
  | { type: 'idNumber' }
  | { type: 'date' }
  | { type: 'month' }
  | { type: 'number'; integer?: boolean }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] };

export type FieldValue = string | number | boolean | null | readonly string[];

export interface FieldDefinition {
  kind: FieldKind;
  /** A required field needs a mapping and a value in every row. */
  required: boolean;
  /** Used when the field is not mapped or its cell is empty; what it means is said in the docs line. */
  default?: FieldValue;
  /** Null when the cell is empty and no default applies (a contract field that may be null). */
  nullable?: boolean;
  docs: string;
}

const text = (maxLength = 200): FieldKind => ({ type: 'text', maxLength });

export const ENTITY_FIELDS: Readonly<Record<ImportEntity, Readonly<Record<string, FieldDefinition>>>> = {
  customers: {
    id: { kind: text(64), required: true, docs: 'the key; the same in every file about this customer' },
    phone: { kind: { type: 'mobile' }, required: true, docs: 'main mobile number (+86, 0086 and spaces are accepted)' },
    joinDate: { kind: { type: 'date' }, required: true, docs: 'date the customer joined, or tenure with a months-before:/days-before: format' },
    planCode: { kind: text(64), required: true, docs: 'the operator plan code; must be in the plans table (clm import plans)' },
    name: { kind: text(100), required: false, nullable: true, docs: 'default: the masked phone number' },
    idNumber: {
      kind: { type: 'idNumber' },
      required: false,
      nullable: true,
      docs: 'resident ID, 15 or 18 characters; default: not on file (shown fully masked)',
    },
    monthlyFee: { kind: { type: 'number' }, required: false, nullable: true, docs: "yuan a month; default: the plan's monthly fee" },
    contractEnd: { kind: { type: 'date' }, required: false, default: null, nullable: true, docs: 'default: no contract' },
    status: {
      kind: { type: 'enum', values: ['active', 'churned'] },
      required: false,
      default: 'active',
      docs: 'map closed accounts to churned; default active',
    },
    churnDate: { kind: { type: 'date' }, required: false, default: null, nullable: true, docs: 'date a closed account left; default none' },
    marketingConsent: { kind: { type: 'boolean' }, required: false, default: false, docs: 'default false: no marketing without a recorded consent' },
    doNotDisturb: { kind: { type: 'boolean' }, required: false, default: false, docs: 'default false' },
    region: { kind: text(100), required: false, default: null, nullable: true, docs: 'default none (kept on the server; not synced to desks yet)' },
    extraPhones: {
      kind: { type: 'mobileList' },
      required: false,
      default: [],
      docs: 'further numbers separated by ; , | or spaces (server only; not synced yet)',
    },
  },
  usage: {
    customerId: { kind: text(64), required: true, docs: 'the key: the customer the bill belongs to' },
    month: { kind: { type: 'month' }, required: true, docs: 'billing month, YYYY-MM by default (format YYYYMM or a date format also accepted)' },
    arpu: { kind: { type: 'number' }, required: true, docs: 'billed revenue of the month, yuan' },
    dataGb: { kind: { type: 'number' }, required: false, default: 0, docs: 'GB used; default 0' },
    voiceMinutes: { kind: { type: 'number' }, required: false, default: 0, docs: 'voice minutes; default 0' },
    sms: { kind: { type: 'number', integer: true }, required: false, default: 0, docs: 'messages sent; default 0' },
  },
  complaints: {
    ticketId: { kind: text(64), required: true, docs: 'the key: the ticket number' },
    customerId: { kind: text(64), required: true, docs: 'the customer who raised it' },
    openedOn: { kind: { type: 'date' }, required: true, docs: 'date the ticket was opened' },
    category: {
      kind: { type: 'enum', values: ['complaint', 'network_issue'] },
      required: false,
      default: 'complaint',
      docs: 'complaint or network_issue (map the operator categories); default complaint',
    },
  },
  plans: {
    code: { kind: text(64), required: true, docs: 'the key: the plan code customers refer to' },
    nameZh: { kind: text(100), required: true, docs: 'Chinese name' },
    nameEn: { kind: text(100), required: false, nullable: true, docs: 'English name; default: the Chinese name' },
    monthlyFee: { kind: { type: 'number' }, required: true, docs: 'yuan a month' },
  },
};

/** The field the mapping's `key` column fills: one row per key value in a file. */
export const KEY_FIELD: Readonly<Record<ImportEntity, string>> = {
  customers: 'id',
  usage: 'customerId',
  complaints: 'ticketId',
  plans: 'code',
};

/** Fields that together identify a row (usage has one row per customer and month). */
export const ROW_IDENTITY: Readonly<Record<ImportEntity, readonly string[]>> = {
  customers: ['id'],
  usage: ['customerId', 'month'],
  complaints: ['ticketId'],
  plans: ['code'],
};
