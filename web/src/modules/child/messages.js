const contactsZh = {
  newborn_visit: '新生儿家庭访视', month_1: '满月健康管理', m3: '3月龄', m6: '6月龄', m8: '8月龄', m12: '12月龄', m18: '18月龄',
  m24: '24月龄', m30: '30月龄', m36: '36月龄', y4: '4岁', y5: '5岁', y6: '6岁',
};
const contactsEn = {
  newborn_visit: 'Newborn home visit', month_1: 'One-month visit', m3: '3 months', m6: '6 months', m8: '8 months', m12: '12 months', m18: '18 months',
  m24: '24 months', m30: '30 months', m36: '36 months', y4: '4 years', y5: '5 years', y6: '6 years',
};

export default {
  'zh-CN': {
    menu: '0～6岁儿童健康管理',
    due: '儿童应检名单',
    tab: '儿童健康',
    home: { due: '今日应检/逾期儿童', dueHint: '{day}，下次健康检查为“应检查”或“已逾期”' },
    timeline: { extra: '儿童健康检查（计划外）' },
    contact: contactsZh,
    status: { done: '已完成', due: '应检查', overdue: '已逾期', missed: '已错过', upcoming: '未到期', recall: '待召回', not_needed: '无需' },
    timing: { early: '提前', on_time: '按时', late: '补做' },
    nutrition: {
      underweight: '低体重', severe_underweight: '重度低体重', stunted: '生长迟缓', severe_stunted: '重度生长迟缓',
      wasted: '消瘦', severe_wasted: '重度消瘦', overweight: '超重', obese: '肥胖',
    },
    card: {
      born: '出生日期', age: '月龄', ageValue: '{m}月{d}天', discharge: '出院日期', mother: '母亲孕产期档案', birthWeight: '出生体重',
      schedule: '健康检查安排', contact: '检查', window: '时间窗', missedFrom: '此日起算错过', doneOn: '完成日期',
      checkups: '健康检查记录', none: '尚无健康检查记录', date: '日期', ageDays: '日龄', weight: '体重(kg)', length: '身长/身高(cm)', head: '头围(cm)',
      hb: '血红蛋白', waz: '年龄别体重Z', lhaz: '年龄别身长Z', wlhz: '身长别体重Z', hcz: '年龄别头围Z', nutrition: '营养评价', normal: '正常',
      record: '登记健康检查', charts: '生长曲线（WHO 2006 标准）', wfa: '年龄别体重', lhfa: '年龄别身长/身高',
      months: '月龄', kg: '体重 (kg)', cm: '身长/身高 (cm)', child: '本儿童', extra: '计划外检查 {n} 次', outOfManagement: '已满7岁，不再纳入0～6岁儿童健康管理',
    },
    form: {
      title: '登记儿童健康检查', kind: '检查项目', auto: '按日期自动归入', date: '检查日期', weight: '体重 (kg)', length: '身长/身高 (cm)',
      measure: '测量方式', recumbent: '卧位（身长）', standing: '立位（身高）', head: '头围 (cm)', hb: '血红蛋白 (g/L)',
      hearing: '听力筛查', pass: '通过', refer: '未通过（转诊）', development: '发育评估', normal: '未见异常', abnormal: '异常',
      vision: '视力', feeding: '喂养/膳食指导', tcm: '中医药健康指导', advice: '指导意见', discharged: '出院日期', clinic: '检查机构', saved: '已登记健康检查',
    },
    screening: {
      title: '新生儿疾病筛查', record: '登记筛查结果', recordShort: '登记', formTitle: '登记新生儿疾病筛查结果', saved: '已登记筛查结果',
      kind: '筛查项目', date: '采血/检查日期', result: '结果', diagnosis: '确诊结果', pending: '待确诊', latest: '最近结果',
      facility: '筛查机构', facilityName: '机构名称', facilityNameHint: '辖区外医院或筛查中心，填写后不用机构代码',
      item: { pku: '苯丙酮尿症（PKU）', ch: '先天性甲状腺功能减低症（CH）', hearing_initial: '听力初筛', hearing_rescreen: '听力复筛', hearing_diagnosis: '听力诊断' },
      resultValue: { normal: '未见异常', positive: '阳性（召回）', pass: '通过', refer: '未通过', hearing_loss: '听力障碍' },
      diagnosisValue: { confirmed: '确诊', excluded: '排除' },
    },
    list: { total: '共 {n} 名儿童', dueBy: '截至', name: '姓名', birth: '出生日期', next: '下次检查', window: '时间窗', status: '状态', org: '现居住地', truncated: '仅显示前 {n} 名' },
  },
  en: {
    menu: 'Child health 0–6',
    due: 'Children due for a check-up',
    tab: 'Child health',
    home: { due: 'Children due or overdue today', dueHint: '{day}, next check-up due or overdue' },
    timeline: { extra: 'Child check-up (extra)' },
    contact: contactsEn,
    status: { done: 'Done', due: 'Due', overdue: 'Overdue', missed: 'Missed', upcoming: 'Upcoming', recall: 'Recall', not_needed: 'Not needed' },
    timing: { early: 'early', on_time: 'on time', late: 'late' },
    nutrition: {
      underweight: 'Underweight', severe_underweight: 'Severely underweight', stunted: 'Stunted', severe_stunted: 'Severely stunted',
      wasted: 'Wasted', severe_wasted: 'Severely wasted', overweight: 'Overweight', obese: 'Obese',
    },
    card: {
      born: 'Born', age: 'Age', ageValue: '{m} months {d} days', discharge: 'Discharged', mother: "Mother's pregnancy", birthWeight: 'Birth weight',
      schedule: 'Check-up schedule', contact: 'Contact', window: 'Window', missedFrom: 'Missed from', doneOn: 'Done on',
      checkups: 'Check-ups', none: 'No check-up recorded', date: 'Date', ageDays: 'Age (days)', weight: 'Weight (kg)', length: 'Length/height (cm)', head: 'Head (cm)',
      hb: 'Hb', waz: 'WAZ', lhaz: 'LHAZ', wlhz: 'WLHZ', hcz: 'HCZ', nutrition: 'Nutrition', normal: 'Normal',
      record: 'Record a check-up', charts: 'Growth charts (WHO 2006 standards)', wfa: 'Weight-for-age', lhfa: 'Length/height-for-age',
      months: 'Months', kg: 'Weight (kg)', cm: 'Length/height (cm)', child: 'This child', extra: '{n} extra check-ups', outOfManagement: 'Aged 7 or more: no longer in the 0–6 care',
    },
    form: {
      title: 'Record a child check-up', kind: 'Contact', auto: 'Assigned by the date', date: 'Date', weight: 'Weight (kg)', length: 'Length/height (cm)',
      measure: 'Measured', recumbent: 'Lying (length)', standing: 'Standing (height)', head: 'Head circumference (cm)', hb: 'Haemoglobin (g/L)',
      hearing: 'Hearing screening', pass: 'Pass', refer: 'Refer', development: 'Development', normal: 'Normal', abnormal: 'Abnormal',
      vision: 'Vision', feeding: 'Feeding/diet guidance', tcm: 'TCM guidance', advice: 'Advice', discharged: 'Discharged on', clinic: 'Clinic', saved: 'Check-up recorded',
    },
    screening: {
      title: 'Newborn screening', record: 'Record a result', recordShort: 'Record', formTitle: 'Record a newborn screening result', saved: 'Screening result recorded',
      kind: 'Screening', date: 'Sample/test date', result: 'Result', diagnosis: 'Diagnosis', pending: 'Pending', latest: 'Latest result',
      facility: 'Screening centre', facilityName: 'Centre name', facilityNameHint: 'A hospital or centre outside the registry (replaces the code)',
      item: { pku: 'Phenylketonuria (PKU)', ch: 'Congenital hypothyroidism (CH)', hearing_initial: 'Hearing screen', hearing_rescreen: 'Hearing re-screen', hearing_diagnosis: 'Hearing diagnosis' },
      resultValue: { normal: 'Normal', positive: 'Positive (recall)', pass: 'Pass', refer: 'Refer', hearing_loss: 'Hearing loss' },
      diagnosisValue: { confirmed: 'Confirmed', excluded: 'Excluded' },
    },
    list: { total: '{n} children', dueBy: 'Due by', name: 'Name', birth: 'Born', next: 'Next check-up', window: 'Window', status: 'Status', org: 'Lives in', truncated: 'Only the first {n} are shown' },
  },
};
