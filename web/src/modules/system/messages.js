export default {
  'zh-CN': {
    menu: '系统',
    users: '用户与角色',
    audit: '审计日志',
    import: '批量导入人员',
    user: {
      username: '用户名', display_name: '显示名称', role: '角色', org_code: '所属单位', active: '启用', locked: '已锁定', created_at: '创建时间',
      create: '新建用户', password: '初始密码', passwordHint: '至少12个字符、3类字符、不含用户名；用户首次登录须修改',
      activate: '启用', deactivate: '停用', reset: '重置密码', resetTitle: '为 {user} 设置初始密码', created: '已创建用户',
    },
    auditLog: {
      seq: '序号', at: '时间', username: '用户', role: '角色', action: '操作', object: '对象', person_id: '人员编号', result: '结果', client: '客户端',
      request_id: '请求编号', detail: '详情', actionPrefix: '操作前缀，如 person.', older: '更早的记录', newest: '最新',
      person: '人员姓名或身份证号', found: '找到 {n} 人：', noPerson: '本辖区内没有找到此人',
      objects: {
        person: '人员', user: '用户', document: '服务凭证', search: '查询', audit_log: '审计日志', org_unit: '机构', notice: '通知',
        referral: '转诊', vaccination_record: '接种记录', vaccination_file: '接种档案', pregnancy: '孕产妇档案', health_record: '健康档案',
        export: '导出', entry_check: '入托入学查验', worklist: '工作清单', settings: '设置', population_figure: '人口数', pmtct_case: '母婴阻断个案',
        clinic: '接种单位', catch_up_round: '查漏补种', campaign: '强化免疫', appointment: '预约', residence_event: '居住事件', report: '报表',
        premarital_check: '婚前医学检查', preconception_check: '孕前优生检查', outbox: '待发消息', newborn_screening: '新生儿筛查',
        import_batch: '导入批次', folic_acid_supply: '叶酸发放', database: '数据库', clinic_session: '门诊排班', city: '城市', child_checkup: '儿童体检',
      },
    },
    importer: {
      hint: '选择人员 CSV 文件（UTF-8 或 GB18030，首行为表头，可用中文或英文列名，与命令行导入相同）。可先校验；导入时正确的行写入，出错的行逐行列在下方，可导出错误报告。',
      choose: '选择文件', check: '仅校验', start: '开始导入', rows: '共 {n} 行', checked: '校验：共 {n} 行，可导入 {ok} 行，有误 {bad} 行（未写入）', done: '完成：成功 {ok} 行，失败 {bad} 行', row: '行号', field: '字段',
      message: '问题', errorsCsv: '导出错误报告', unknownColumns: '未识别的列：{cols}', progress: '正在导入 {i}/{n}',
    },
  },
  en: {
    menu: 'System',
    users: 'Users & roles',
    audit: 'Audit log',
    import: 'Import persons',
    user: {
      username: 'Username', display_name: 'Display name', role: 'Role', org_code: 'Unit', active: 'Active', locked: 'Locked', created_at: 'Created at',
      create: 'New user', password: 'Initial password', passwordHint: '12+ characters of 3 classes, not containing the username; changed at first sign-in',
      activate: 'Activate', deactivate: 'Deactivate', reset: 'Reset password', resetTitle: 'Set an initial password for {user}', created: 'User created',
    },
    auditLog: {
      seq: 'Seq', at: 'Time', username: 'User', role: 'Role', action: 'Action', object: 'Object', person_id: 'Person', result: 'Result', client: 'Client',
      request_id: 'Request', detail: 'Detail', actionPrefix: 'Action prefix, e.g. person.', older: 'Older', newest: 'Newest',
      person: 'Person name or ID number', found: '{n} found:', noPerson: 'No such person in your area',
      objects: {
        person: 'Person', user: 'User', document: 'Document', search: 'Search', audit_log: 'Audit log', org_unit: 'Unit', notice: 'Notice',
        referral: 'Referral', vaccination_record: 'Vaccination record', vaccination_file: 'Vaccination file', pregnancy: 'Pregnancy', health_record: 'Health record',
        export: 'Export', entry_check: 'School entry check', worklist: 'Worklist', settings: 'Settings', population_figure: 'Population figure', pmtct_case: 'PMTCT case',
        clinic: 'Clinic', catch_up_round: 'Catch-up round', campaign: 'Campaign', appointment: 'Appointment', residence_event: 'Residence event', report: 'Report',
        premarital_check: 'Premarital check', preconception_check: 'Preconception check', outbox: 'Outbox', newborn_screening: 'Newborn screening',
        import_batch: 'Import batch', folic_acid_supply: 'Folic acid supply', database: 'Database', clinic_session: 'Clinic session', city: 'City', child_checkup: 'Child check-up',
      },
    },
    importer: {
      hint: 'Choose a persons CSV file (UTF-8 or GB18030, a header row in Chinese or English, as for the command-line import). Check it first if you like; importing keeps the good rows and lists the rejected ones below, exportable as an error report.',
      choose: 'Choose file', check: 'Check only', start: 'Import', rows: '{n} rows', checked: 'Checked: {n} rows, {ok} can be imported, {bad} with problems (nothing written)', done: 'Done: {ok} rows registered, {bad} rejected', row: 'Row', field: 'Field',
      message: 'Problem', errorsCsv: 'Export the error report', unknownColumns: 'Columns not recognised: {cols}', progress: 'Importing {i}/{n}',
    },
  },
};
