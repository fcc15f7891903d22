// Chinese and English texts of the service-network pages.
export default {
  'zh-CN': {
    menu: '服务网络',
    points: '服务点',
    summary: '示范点与计生协会',
    none: '暂无服务点',
    activeOnly: '只看在岗的',
    kindAll: '全部类型',
    kind: {
      chs_centre: '社区卫生服务中心', chs_station: '社区卫生服务站', township_centre: '乡镇卫生院', village_clinic: '村卫生室',
      fp_station: '计划生育服务站', distribution_staffed: '避孕药具发放点', distribution_machine: '避孕药具自助发放机', demonstration: '示范点',
    },
    field: {
      name: '名称', kind: '类型', org: '所属机构', position: '位置（WGS-84）', hours: '开放时间', staff: '人员', inCircle: '计入十分钟服务圈', active: '在岗',
      district: '县区', demoPoints: '示范点', compliant: '达标（“六个一”）', deadline: '2018年5月底前建成', places: '聚集场所', associations: '已建计生协会', share: '覆盖率',
    },
    yes: '是', no: '否',
    deadlineHint: '每县区至少1个标准化示范点，期限 {date}；计生协会覆盖率目标 ≥{target}%',
  },
  en: {
    menu: 'Service network',
    points: 'Service points',
    summary: 'Demonstration points and associations',
    none: 'No service points',
    activeOnly: 'Active only',
    kindAll: 'All kinds',
    kind: {
      chs_centre: 'Community health centre', chs_station: 'Community health station', township_centre: 'Township health centre', village_clinic: 'Village clinic',
      fp_station: 'Family-planning station', distribution_staffed: 'Contraceptive distribution point', distribution_machine: 'Self-service contraceptive machine', demonstration: 'Demonstration point',
    },
    field: {
      name: 'Name', kind: 'Kind', org: 'Unit', position: 'Position (WGS-84)', hours: 'Opening hours', staff: 'Staff', inCircle: 'In the ten-minute circle', active: 'Active',
      district: 'District', demoPoints: 'Demonstration points', compliant: 'Compliant (six items)', deadline: 'Built by May 2018', places: 'Gathering places', associations: 'With an association', share: 'Coverage',
    },
    yes: 'Yes', no: 'No',
    deadlineHint: 'At least one standard demonstration point per district, by {date}; association coverage target ≥{target}%',
  },
};
