/**
 * The audit log's actions and services (screens/admin/audit.tsx) in words: `auditAction.<command type>` for
 * a command a user's request recorded (`EnrollTrainee`), `auditAction.<permission>` for a read of a
 * trainee's personal data (`trainees:read`), `auditService.<service>` for the service that wrote the line
 * (its name, `training`). Every one the services can write has words here
 * (e2e/src/console/catalogue-audit.spec.ts); one added later shows as the service wrote it. The platform's
 * own work (an archive entry, a statistics figure, an import's rows) is not audited today, but has words
 * too. Terms follow docs/console.md and the screens' own words for the same acts.
 */
export const auditZhCN = {
  // Organisations (who registers them: domain.md section 9).
  'auditAction.RegisterBureau': '登记人社局',
  'auditAction.RegisterProvider': '登记培训机构',
  'auditAction.RegisterEvaluator': '登记评价机构',
  'auditAction.RegisterEmployer': '登记用人单位',
  // Users and access.
  'auditAction.CreateUser': '新建用户',
  'auditAction.DisableUser': '停用用户',
  'auditAction.ChangePassword': '修改或重置密码',
  'auditAction.CreateApiKey': '创建接口密钥',
  'auditAction.RevokeApiKey': '撤销接口密钥',
  'auditAction.EnrolTotp': '绑定动态验证码',
  'auditAction.ConfirmTotp': '确认动态验证码',
  'auditAction.ResetTotp': '重置动态验证码',
  'auditAction.ActivateTraineeUser': '学员用激活码开通账号',
  'auditAction.ChangePreferences': '修改个人设置',
  'auditAction.EraseTraineeUser': '注销学员账号（个人信息删除后）',
  // Trainees.
  'auditAction.RegisterTrainee': '登记学员',
  'auditAction.CorrectTrainee': '更正学员姓名或手机号',
  'auditAction.VoidRegistration': '作废学员登记',
  'auditAction.EraseTraineePersonalData': '删除学员个人信息',
  'auditAction.IssueActivationCode': '发放学员激活码',
  'auditAction.RecordArchiveEntry': '记入培训档案',
  'auditAction.RecordCertificateVoid': '从培训档案中撤去作废的证书',
  // Training.
  'auditAction.ScheduleCourse': '开设培训班',
  'auditAction.EnrollTrainee': '学员报名',
  'auditAction.WithdrawEnrollment': '学员退出培训班',
  'auditAction.WithdrawVoidedTrainee': '登记作废的学员退出培训班',
  'auditAction.RecordAssessment': '录入考核成绩',
  // Skill levels and certificates.
  'auditAction.Certify': '认定技能等级',
  'auditAction.RecordImportedCertificate': '导入历史证书',
  'auditAction.RevokeCertificate': '撤销证书',
  // Placements and employment.
  'auditAction.PostPlacement': '发布岗位',
  'auditAction.ClosePlacement': '结束招聘',
  'auditAction.HireTrainee': '录用人员',
  'auditAction.EndEmployment': '办理离职',
  // Labour brands and statistics.
  'auditAction.RegisterBrand': '登记劳务品牌',
  'auditAction.CertifyBrand': '认定劳务品牌',
  'auditAction.RevokeBrandCertification': '撤销劳务品牌认定',
  'auditAction.RecordStatisticsFact': '记入统计数据',
  // Reads of a trainee's personal data, by the permission they used.
  'auditAction.trainees:read': '查看学员个人信息',
  'auditAction.trainees:lookup': '按身份证号和姓名查找学员',
  'auditAction.trainees:read-archive': '查看学员培训档案',

  'auditService.identity': '用户与权限',
  'auditService.trainee': '学员信息',
  'auditService.training': '培训',
  'auditService.certification': '职业技能等级认定',
  'auditService.placement': '招聘与就业',
  'auditService.brand': '人社局与劳务品牌',
} as const;

export const auditEn: Record<keyof typeof auditZhCN, string> = {
  'auditAction.RegisterBureau': 'Register a labour bureau',
  'auditAction.RegisterProvider': 'Register a training provider',
  'auditAction.RegisterEvaluator': 'Register an evaluation organisation',
  'auditAction.RegisterEmployer': 'Register an employer',
  'auditAction.CreateUser': 'Create a user',
  'auditAction.DisableUser': 'Disable a user',
  'auditAction.ChangePassword': 'Change or reset a password',
  'auditAction.CreateApiKey': 'Create an API key',
  'auditAction.RevokeApiKey': 'Revoke an API key',
  'auditAction.EnrolTotp': 'Set up a one-time code app',
  'auditAction.ConfirmTotp': 'Confirm a one-time code app',
  'auditAction.ResetTotp': 'Reset a one-time code app',
  'auditAction.ActivateTraineeUser': 'A trainee opens their account with an activation code',
  'auditAction.ChangePreferences': 'Change own settings',
  'auditAction.EraseTraineeUser': "Remove a trainee's account (after their personal data was erased)",
  'auditAction.RegisterTrainee': 'Register a trainee',
  'auditAction.CorrectTrainee': "Correct a trainee's name or phone",
  'auditAction.VoidRegistration': "Void a trainee's registration",
  'auditAction.EraseTraineePersonalData': "Erase a trainee's personal data",
  'auditAction.IssueActivationCode': 'Issue a trainee an activation code',
  'auditAction.RecordArchiveEntry': 'Add to a training archive',
  'auditAction.RecordCertificateVoid': 'Take a voided certificate out of a training archive',
  'auditAction.ScheduleCourse': 'Schedule a course',
  'auditAction.EnrollTrainee': 'Enrol a trainee',
  'auditAction.WithdrawEnrollment': 'Withdraw a trainee from a course',
  'auditAction.WithdrawVoidedTrainee': 'Withdraw a trainee whose registration was voided',
  'auditAction.RecordAssessment': 'Record an assessment result',
  'auditAction.Certify': 'Certify a skill level',
  'auditAction.RecordImportedCertificate': 'Import an earlier certificate',
  'auditAction.RevokeCertificate': 'Revoke a certificate',
  'auditAction.PostPlacement': 'Post a placement',
  'auditAction.ClosePlacement': 'Close a placement',
  'auditAction.HireTrainee': 'Hire someone',
  'auditAction.EndEmployment': 'End an employment',
  'auditAction.RegisterBrand': 'Register a labour brand',
  'auditAction.CertifyBrand': 'Certify a labour brand',
  'auditAction.RevokeBrandCertification': "Revoke a labour brand's certification",
  'auditAction.RecordStatisticsFact': 'Add to the statistics',
  'auditAction.trainees:read': "Read a trainee's personal data",
  'auditAction.trainees:lookup': 'Look a trainee up by identity number and name',
  'auditAction.trainees:read-archive': "Read a trainee's training archive",

  'auditService.identity': 'Users and access',
  'auditService.trainee': 'Trainees',
  'auditService.training': 'Training',
  'auditService.certification': 'Skill level assessment',
  'auditService.placement': 'Placements and employment',
  'auditService.brand': 'Bureaus and labour brands',
};
