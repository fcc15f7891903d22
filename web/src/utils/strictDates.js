// Dates typed into a date picker are read strictly. Element Plus parses typed text with dayjs,
// whose format parser rolls impossible dates over ("2026-13-45" becomes 2027-02-14, "2026-02-30"
// becomes 2026-03-02), so a typing mistake silently became another, real day — for an arrival
// date even one in the future, which decides eligibility. With strict parsing such text is no
// date at all and the picker keeps the previous value; the server checks every date again.
//
// The format parser is Element Plus's own (dayjs/plugin/customParseFormat, the same module it
// installs): installed here first, so that this wrapper runs before it whenever the date picker
// is loaded, and the picker's own install of it is then a no-op.
import customParseFormat from 'dayjs/plugin/customParseFormat.js';

export function useStrictDateParsing(dayjs) {
  dayjs.extend(customParseFormat);
  dayjs.extend((_option, DayjsClass) => {
    const parse = DayjsClass.prototype.parse;
    DayjsClass.prototype.parse = function strictParse(cfg) {
      const args = Array.from(cfg.args || []);
      // dayjs(text, format[, locale][, strict]): make the format parse strict unless it is.
      if (typeof args[0] === 'string' && typeof args[1] === 'string' && args[2] !== true && args[3] !== true) {
        if (args[2] === undefined) args[2] = true;
        else args[3] = true;
        cfg.args = args;
      }
      return parse.call(this, cfg);
    };
  });
}
