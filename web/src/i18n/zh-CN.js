// 通用界面文字（简体中文）。各模块的文字在 modules/<模块>/messages.js。
export default {
  app: { title: '均等', subtitle: '流动人口基本公共卫生计生服务', language: '语言' },
  common: {
    search: '查询', reset: '重置', save: '保存', submit: '提交', cancel: '取消', confirm: '确定',
    edit: '修改', add: '新增', back: '返回', refresh: '刷新', export: '导出', import: '导入',
    view: '查看', actions: '操作', status: '状态', date: '日期', from: '开始', to: '结束',
    yes: '是', no: '否', none: '无', total: '共 {n} 条', loading: '加载中…', saved: '已保存',
    required: '必填', notAvailable: '暂无数据', reason: '理由', note: '备注', detail: '说明',
    name: '姓名', sex: '性别', male: '男', female: '女', birthDate: '出生日期', idNumber: '证件号码',
    phone: '手机号码', org: '单位', address: '地址', all: '全部', download: '下载', previousPage: '上一页', nextPage: '下一页',
  },
  login: {
    title: '用户登录', username: '用户名', password: '密码', submit: '登录',
    usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
    expired: '会话已过期或已退出，请重新登录', rules: '连续5次密码错误将锁定15分钟；闲置30分钟或登录满12小时后须重新登录。',
  },
  password: {
    title: '修改密码', forcedHint: '您使用的是他人设定的初始密码，请先设置自己的密码。',
    current: '当前密码', next: '新密码', repeat: '再次输入新密码', submit: '修改密码',
    rules: '至少12个字符，包含大写字母、小写字母、数字、符号中的至少3类，且不含用户名。',
    tooShort: '新密码至少12个字符', classes: '须包含至少3类字符', containsUser: '不能包含用户名',
    mismatch: '两次输入的新密码不一致', done: '密码已修改',
  },
  layout: {
    logout: '退出', changePassword: '修改密码', role: '角色', jurisdiction: '辖区',
    home: '首页', collapse: '收起菜单', expand: '展开菜单',
  },
  home: { welcome: '欢迎，{name}', hint: '请从左侧菜单选择要办理的业务。', today: '今日工作', menu: '全部业务', failed: '未能读取', retry: '重试' },
  errors: {
    forbidden: '您没有访问此页面的权限', notFound: '页面不存在', network: '无法连接服务器',
    generic: '操作失败', notInJurisdiction: '未找到该人员，或其不在您的辖区内',
  },
  roles: {
    sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员', commission: '卫健委',
    district: '区县', center: '社区卫生服务中心', village: '社区/村卫生室', cdc: '疾控中心',
    finance: '财务', partner: '合作单位', psychiatry: '精神卫生防治机构',
  },
};
