// Element Plus's message and confirmation boxes, with their styles: the components written in
// templates get theirs from the build, these called from scripts get them here.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

export { ElMessage, ElMessageBox } from 'element-plus';
