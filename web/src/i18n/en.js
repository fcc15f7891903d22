// Shared interface text (English). Each module's text is in modules/<module>/messages.js.
export default {
  app: { title: 'Jundeng', subtitle: 'Equal public-health services for migrants', language: 'Language' },
  common: {
    search: 'Search', reset: 'Reset', save: 'Save', submit: 'Submit', cancel: 'Cancel', confirm: 'OK',
    edit: 'Edit', add: 'Add', back: 'Back', refresh: 'Refresh', export: 'Export', import: 'Import',
    view: 'View', actions: 'Actions', status: 'Status', date: 'Date', from: 'From', to: 'To',
    yes: 'Yes', no: 'No', none: 'None', total: '{n} in all', loading: 'Loading…', saved: 'Saved',
    required: 'Required', notAvailable: 'No data', reason: 'Reason', note: 'Note', detail: 'Detail',
    name: 'Name', sex: 'Sex', male: 'Male', female: 'Female', birthDate: 'Date of birth',
    idNumber: 'ID number', phone: 'Mobile', org: 'Unit', address: 'Address', all: 'All', download: 'Download', previousPage: 'Previous page', nextPage: 'Next page',
  },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in',
    usernameRequired: 'Enter your username', passwordRequired: 'Enter your password',
    expired: 'Your session ended; please sign in again',
    rules: 'Five wrong passwords lock the account for 15 minutes; sessions end after 30 idle minutes or 12 hours.',
  },
  password: {
    title: 'Change password', forcedHint: 'Your password was set by someone else: choose your own first.',
    current: 'Current password', next: 'New password', repeat: 'Repeat the new password', submit: 'Change password',
    rules: 'At least 12 characters of at least 3 classes (upper case, lower case, digits, symbols), not containing the username.',
    tooShort: 'At least 12 characters', classes: 'Use at least 3 classes of characters',
    containsUser: 'Must not contain the username', mismatch: 'The two new passwords differ', done: 'Password changed',
  },
  layout: {
    logout: 'Sign out', changePassword: 'Change password', role: 'Role', jurisdiction: 'Jurisdiction',
    home: 'Home', collapse: 'Collapse menu', expand: 'Expand menu',
  },
  home: { welcome: 'Welcome, {name}', hint: 'Choose a task from the menu on the left.', today: "Today's work", menu: 'All tasks', failed: 'Could not load', retry: 'Retry' },
  errors: {
    forbidden: 'You may not open this page', notFound: 'No such page', network: 'Cannot reach the server',
    generic: 'The operation failed', notInJurisdiction: 'No such person, or not in your jurisdiction',
  },
  roles: {
    sysadmin: 'System administrator', secadmin: 'Security administrator', auditor: 'Auditor',
    commission: 'Health commission', district: 'District', center: 'Health centre', village: 'Village clinic',
    cdc: 'CDC', finance: 'Finance', partner: 'Partner', psychiatry: 'Mental health',
  },
};
